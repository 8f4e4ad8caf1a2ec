package ingest

import (
	"slices"
	"testing"
)

// Data.Shards counts the pairs of each file of a wide paired table read
// from several files, after exclusions, and is nil where a streamed
// reading has one shard or no pairs.
func TestDataShards(t *testing.T) {
	a := writeFile(t, "a.csv", []byte("before,after\n1,2\n3,4\nNA,5\n"))
	b := writeFile(t, "b.csv", []byte("before,after\n"))
	c := writeFile(t, "c.csv", []byte("before,after\n6,7\n"))
	long := writeFile(t, "long.csv", []byte("synapse_id,session,weight\na,0,1\na,1,2\nb,0,3\nb,1,4\n"))
	early := writeFile(t, "early.csv", []byte("synapse_id,session,weight\na,0,1\nb,0,3\n"))
	late := writeFile(t, "late.csv", []byte("synapse_id,session,weight\na,1,2\nb,1,4\n"))
	longIDs := Options{ID: "synapse_id", Time: "session", Value: "weight"}
	for _, tc := range []struct {
		files []string
		opt   Options
		want  []int
	}{
		{[]string{a, b, c}, Options{}, []int{2, 0, 1}},
		{[]string{a}, Options{}, nil},
		{[]string{c, a}, Options{}, []int{1, 2}},
		{[]string{early, late}, longIDs, nil}, // one table in two files
		{[]string{long}, longIDs, nil},
	} {
		d, err := Load(tc.files, tc.opt)
		if err != nil {
			t.Fatalf("%v: %v", tc.files, err)
		}
		if !slices.Equal(d.Shards, tc.want) {
			t.Errorf("%v: shards %v, want %v", tc.files, d.Shards, tc.want)
		}
	}
}
