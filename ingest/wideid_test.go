package ingest

import (
	"slices"
	"strings"
	"testing"
)

// A wide table whose id column repeats holds several pairs of one synapse:
// Load keeps each pair's synapse (after the dropped rows), and says so.
// Unique ids change nothing, and a stream never carries them.
func TestWideRepeatedIDs(t *testing.T) {
	repeated := writeFile(t, "rep.csv", []byte("synapse_id,before,after\na,1,2\na,2,3\nb,NA,1\nb,4,5\nc,1,1\n"))
	d, err := Load([]string{repeated}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Roles["id"] != "synapse_id" || len(d.Before) != 4 || !slices.Equal(d.Synapse, []int32{0, 0, 1, 2}) {
		t.Fatalf("roles %v, %d pairs, synapses %v", d.Roles, len(d.Before), d.Synapse)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), "the 4 pairs come from 3 synapses") {
		t.Errorf("notes: %q", d.Notes)
	}

	unique := writeFile(t, "uni.csv", []byte("cell,pre_w,post_w\nx,1,2\ny,2,3\nz,3,4\n"))
	d, err = Load([]string{unique}, Options{Before: "pre_w", After: "post_w", ID: "cell"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Roles["id"] != "cell" || d.Synapse != nil || len(d.Before) != 3 {
		t.Errorf("unique ids: roles %v, synapses %v", d.Roles, d.Synapse)
	}

	sum, err := Scan([]string{repeated}, Options{}, func(b *Batch) error {
		if b.Synapse != nil && len(b.Synapse) > 0 {
			t.Errorf("a stream got synapses %v", b.Synapse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Roles["id"] != "" {
		t.Errorf("a stream reports the id role %q it does not use", sum.Roles["id"])
	}

	if _, err := Load([]string{repeated}, Options{Before: "before", After: "after", ID: "nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing --id column: %v", err)
	}
}
