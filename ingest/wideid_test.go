package ingest

import (
	"context"
	"path/filepath"
	"reflect"
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

// DistinctIDs reads a wide table's id column, in CSV and Parquet, and
// answers true only when no id repeats, in one file or across files.
func TestDistinctIDs(t *testing.T) {
	distinct := writeFile(t, "distinct.csv", []byte("synapse_id,before,after\na,1,2\nb,2,3\nc,NA,1\n"))
	repeated := writeFile(t, "repeated.csv", []byte("synapse_id,before,after\na,1,2\nb,2,3\na,4,5\n"))
	other := writeFile(t, "other.csv", []byte("synapse_id,before,after\nd,1,2\ne,2,3\n"))
	plain := writeFile(t, "plain.csv", []byte("before,after\n1,2\n"))
	long := writeFile(t, "long.csv", []byte("synapse_id,session,weight\na,0,1\na,1,2\n"))
	tab := makeWriteTable(70_000) // ids 0, 1, 2, …: Parquet int64
	pq := filepath.Join(t.TempDir(), "ids.parquet")
	writeInBatches(t, pq, tab, WriteOptions{RowGroupLength: 30_000})
	tab.id[69_999] = tab.id[3]
	pqRepeated := filepath.Join(t.TempDir(), "ids.parquet")
	writeInBatches(t, pqRepeated, tab, WriteOptions{RowGroupLength: 30_000})
	for _, c := range []struct {
		files []string
		opt   Options
		want  bool
	}{
		{[]string{distinct}, Options{}, true},
		{[]string{repeated}, Options{}, false},
		{[]string{distinct, other}, Options{}, true},
		{[]string{distinct, distinct}, Options{}, false}, // the files share ids
		{[]string{plain}, Options{}, false},              // no ids
		{[]string{long}, Options{}, false},               // a long table pairs by id
		{[]string{pq}, Options{ID: "id", Before: "before", After: "after"}, true},
		{[]string{pqRepeated}, Options{ID: "id", Before: "before", After: "after"}, false},
	} {
		sum, got, err := DistinctIDs(context.Background(), c.files, c.opt)
		if err != nil || got != c.want {
			t.Errorf("DistinctIDs(%v) = %v, %v; want %v", c.files, got, err, c.want)
		}
		if peek, err := Peek(c.files, c.opt); err != nil || sum == nil || !reflect.DeepEqual(*sum, *peek) {
			t.Errorf("DistinctIDs(%v): summary %+v, Peek's %+v (%v)", c.files, sum, peek, err)
		}
	}
	// Streamed with the answer, the table keeps its id role and note.
	sum, err := Scan([]string{distinct}, Options{DistinctIDs: true}, func(*Batch) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Roles["id"] != "synapse_id" || slices.ContainsFunc(sum.Notes, IsUnreadIDNote) {
		t.Errorf("roles %v, notes %q", sum.Roles, sum.Notes)
	}
}
