package ingest

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// longTable is a random long table: ids in random order of first
// appearance, times missing at random, values with zeros, negatives and
// NAs, and a group per id.
func longTable(seed uint64, ids, times int) [][4]string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var rows [][4]string
	for _, id := range rng.Perm(ids) {
		group := []string{"pyr", "pv", "sst"}[id%3]
		for t := range times {
			if rng.Float64() < 0.15 {
				continue
			}
			v := fmt.Sprintf("%.6g", math.Exp(rng.NormFloat64()))
			switch r := rng.Float64(); {
			case r < 0.03:
				v = "0"
			case r < 0.05:
				v = "-" + v
			case r < 0.07:
				v = "NA"
			}
			rows = append(rows, [4]string{fmt.Sprintf("syn_%d", id), fmt.Sprint(t), v, group})
		}
	}
	// Interleave the rows of different ids, as a table sorted by time is.
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return rows
}

func writeLongCSV(t *testing.T, path string, rows [][4]string, gz bool) {
	t.Helper()
	var sb strings.Builder
	sb.WriteString("synapse_id,session,value,cell_type\n")
	for _, r := range rows {
		sb.WriteString(strings.Join(r[:], ",") + "\n")
	}
	data := []byte(sb.String())
	if gz {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		w := gzip.NewWriter(f)
		w.Write(data)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// loadBoth loads the files with the in-memory pivot and with the pivot
// through temporary files in partitions of 50 rows.
func loadBoth(t *testing.T, paths []string, opt Options) (mem, spilled *Data, memErr, spillErr error) {
	t.Helper()
	mem, memErr = Load(paths, opt)
	opt.pivotRows = 50
	spilled, spillErr = Load(paths, opt)
	return
}

// The pivot through temporary files gives the data of the in-memory pivot:
// the same pairs in the same order, the same groups, synapse codes, steps,
// counts and notes, from CSV, gzip CSV and Parquet, one file or several.
func TestPivotPartitionedMatchesInMemory(t *testing.T) {
	dir := t.TempDir()
	rows := longTable(7, 400, 4)
	csvPath := filepath.Join(dir, "long.csv")
	writeLongCSV(t, csvPath, rows, false)
	gzPath := filepath.Join(dir, "long.csv.gz")
	writeLongCSV(t, gzPath, rows, true)
	half := len(rows) / 2
	partA, partB := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	writeLongCSV(t, partA, rows[:half], false)
	writeLongCSV(t, partB, rows[half:], false)
	pqPath := filepath.Join(dir, "long.parquet")
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "synapse_id", Type: arrow.BinaryTypes.String},
		{Name: "session", Type: arrow.PrimitiveTypes.Int64},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "cell_type", Type: arrow.BinaryTypes.String},
	}, nil)
	writeTestParquet(t, pqPath, sc, len(rows), func(b *array.RecordBuilder, start, count int) {
		for _, r := range rows[start : start+count] {
			b.Field(0).(*array.StringBuilder).Append(r[0])
			var session int64
			fmt.Sscan(r[1], &session)
			b.Field(1).(*array.Int64Builder).Append(session)
			if r[2] == "NA" {
				b.Field(2).AppendNull()
			} else {
				var v float64
				fmt.Sscan(r[2], &v)
				b.Field(2).(*array.Float64Builder).Append(v)
			}
			b.Field(3).(*array.StringBuilder).Append(r[3])
		}
	})
	inputs := map[string][]string{"csv": {csvPath}, "gzip": {gzPath}, "two files": {partA, partB}, "parquet": {pqPath}}
	modes := map[string]Options{
		"from to":        {ID: "synapse_id", Time: "session", Value: "value", From: "1", To: "3"},
		"grouped":        {ID: "synapse_id", Time: "session", Value: "value", From: "0", To: "2", Group: "cell_type"},
		"consecutive":    {ID: "synapse_id", Time: "session", Value: "value", Consecutive: true, Group: "cell_type"},
		"zeros missing":  {ID: "synapse_id", Time: "session", Value: "value", From: "0", To: "1", Zero: ZeroMissing},
		"small batches":  {ID: "synapse_id", Time: "session", Value: "value", Consecutive: true, BatchSize: 7},
		"reversed times": {ID: "synapse_id", Time: "session", Value: "value", From: "2", To: "0"},
	}
	for in, paths := range inputs {
		for mode, opt := range modes {
			t.Run(in+"/"+mode, func(t *testing.T) {
				mem, spilled, errMem, errSpill := loadBoth(t, paths, opt)
				if errMem != nil || errSpill != nil {
					t.Fatalf("in memory: %v; partitioned: %v", errMem, errSpill)
				}
				if len(mem.Before) < 100 {
					t.Fatalf("only %d pairs: the table does not exercise the pivot", len(mem.Before))
				}
				if opt.Consecutive && len(mem.Synapse) != len(mem.Before) {
					t.Fatalf("%d synapse codes for %d pairs", len(mem.Synapse), len(mem.Before))
				}
				if !reflect.DeepEqual(mem, spilled) {
					t.Errorf("the partitioned pivot differs from the in-memory one:\nin memory:   %d pairs, excluded %v, notes %q\npartitioned: %d pairs, excluded %v, notes %q",
						len(mem.Before), mem.Excluded, mem.Notes, len(spilled.Before), spilled.Excluded, spilled.Notes)
				}
			})
		}
	}
}

// An id with two rows at one time is the same error either way: the id
// that appears first, at the later of its two rows.
func TestPivotPartitionedDuplicateError(t *testing.T) {
	dir := t.TempDir()
	rows := longTable(11, 300, 3)
	// Two duplicates; the one whose id appears first in the file wins.
	first, second := rows[len(rows)/3], rows[2*len(rows)/3]
	rows = append(rows, second, first)
	path := filepath.Join(dir, "dup.csv")
	writeLongCSV(t, path, rows, false)
	_, _, errMem, errSpill := loadBoth(t, []string{path}, Options{ID: "synapse_id", Time: "session", Value: "value", From: "0", To: "2"})
	if errMem == nil || errSpill == nil {
		t.Fatalf("a duplicate row passed: in memory %v, partitioned %v", errMem, errSpill)
	}
	if errMem.Error() != errSpill.Error() {
		t.Errorf("in memory: %v\npartitioned: %v", errMem, errSpill)
	}
	if !strings.Contains(errMem.Error(), "has a second row") {
		t.Errorf("unexpected error: %v", errMem)
	}
}

// The temporary files are removed, after success and after an error.
func TestPivotPartitionedCleansUp(t *testing.T) {
	tmp, path := spillSetup(t, 3, 200)
	opt := Options{ID: "synapse_id", Time: "session", Value: "value", pivotRows: 50}
	if _, err := Load([]string{path}, opt); err != nil {
		t.Fatal(err)
	}
	opt.From, opt.To = "0", "9" // no such time: an error after spilling
	if _, err := Load([]string{path}, opt); err == nil {
		t.Fatal("a missing time passed")
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "syngeom-pivot-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	// Without a temporary directory the pivot fails with a clear error,
	// which also shows that the tests above took the partitioned path.
	t.Setenv("TMPDIR", filepath.Join(tmp, "absent"))
	opt.From, opt.To = "", ""
	_, err := Load([]string{path}, opt)
	if err == nil || !strings.Contains(err.Error(), "pivoting a long table through temporary files") {
		t.Errorf("error without a temporary directory: %v", err)
	}
}

// A cancelled context stops a scan, wide or long, in memory or partitioned,
// with ctx.Err(), and leaves no temporary files.
func TestScanContextCancelled(t *testing.T) {
	tmp, long := spillSetup(t, 5, 300)
	wide := filepath.Join(filepath.Dir(long), "wide.csv")
	if err := os.WriteFile(wide, []byte("before,after\n1,2\n3,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	longOpt := Options{ID: "synapse_id", Time: "session", Value: "value"}
	spilled := longOpt
	spilled.pivotRows = 50
	for name, c := range map[string]struct {
		path string
		opt  Options
	}{"wide": {wide, Options{}}, "long": {long, longOpt}, "long partitioned": {long, spilled}} {
		if _, err := LoadContext(ctx, []string{c.path}, c.opt); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", name, err)
		}
		if _, err := ScanContext(ctx, []string{c.path}, c.opt, func(*Batch) error { return nil }); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Scan error %v, want context.Canceled", name, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "syngeom-pivot-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// spillSetup points TMPDIR at a new directory, which it returns, and writes
// a long table of ids synapses at two times.
func spillSetup(t *testing.T, seed uint64, ids int) (tmp, path string) {
	t.Helper()
	tmp = t.TempDir()
	t.Setenv("TMPDIR", tmp)
	path = filepath.Join(t.TempDir(), "long.csv")
	writeLongCSV(t, path, longTable(seed, ids, 2), false)
	return tmp, path
}

// Pivot keeps the pairs of a scan for a second one: Scan gives the same
// batches (pairs, groups, synapses and steps) and Summary as scanning the
// file again, and Close removes the file.
func TestPivotedScansAgain(t *testing.T) {
	tmp, path := spillSetup(t, 9, 300)
	for _, opt := range []Options{
		{ID: "synapse_id", Time: "session", Value: "value", Group: "cell_type", BatchSize: 64},
		{ID: "synapse_id", Time: "session", Value: "value", Consecutive: true, BatchSize: 50, pivotRows: 40},
	} {
		var want []Batch
		copyBatch := func(out *[]Batch) func(*Batch) error {
			return func(b *Batch) error {
				*out = append(*out, Batch{Before: slices.Clone(b.Before), After: slices.Clone(b.After), Group: slices.Clone(b.Group),
					Synapse: slices.Clone(b.Synapse), Step: slices.Clone(b.Step)})
				return nil
			}
		}
		wantSum, err := Scan([]string{path}, opt, copyBatch(&want))
		if err != nil {
			t.Fatal(err)
		}
		p, err := Pivot(context.Background(), []string{path}, opt)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			var got []Batch
			sum, err := p.Scan(context.Background(), copyBatch(&got))
			if err != nil {
				t.Fatal(err)
			}
			if len(want) < 3 || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(sum, wantSum) {
				t.Errorf("%+v: %d batches kept, %d scanned; summaries equal: %v", opt, len(got), len(want), reflect.DeepEqual(sum, wantSum))
			}
		}
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "syngeom-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
