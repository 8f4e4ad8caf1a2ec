package ingest

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
)

// manifestEntry is what DuckDB saw when it read a fixture back.
type manifestEntry struct {
	Rows          int64    `json:"rows"`
	NonNullBefore *int64   `json:"non_null_before"`
	NonNullAfter  *int64   `json:"non_null_after"`
	CompletePairs *int64   `json:"complete_pairs"`
	SumBefore     *float64 `json:"sum_before"`
	SumAfter      *float64 `json:"sum_after"`
}

func readManifest(t *testing.T) map[string]manifestEntry {
	t.Helper()
	b, err := os.ReadFile("testdata/fixtures/MANIFEST.json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]manifestEntry{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// relClose compares sums to 1e-9 relative: far above summation-order noise
// (about 1e-13 here) and far below the change of a single value.
func relClose(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

func TestFixturesMatchManifest(t *testing.T) {
	m := readManifest(t)
	// The CSV, TSV and parquetjs files hold the values of the zstd file
	// (fixtures README); their own manifest entries list fewer facts.
	full := m["pairs_duckdb_zstd.parquet"]
	want := map[string]manifestEntry{
		"pairs.csv":               full,
		"pairs.tsv":               full,
		"pairs_parquetjs.parquet": full,
	}
	for name, e := range m {
		if name == "long_duckdb.parquet" {
			continue // pivoted in TestFixtureLong
		}
		if _, ok := want[name]; !ok {
			want[name] = e
		}
	}
	for name, e := range want {
		t.Run(name, func(t *testing.T) {
			path := "testdata/fixtures/" + name
			in, err := Inspect([]string{path}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if in.Rows != e.Rows {
				t.Errorf("rows %d, want %d", in.Rows, e.Rows)
			}
			if in.Shape != ShapePaired {
				t.Fatalf("shape %q, want paired", in.Shape)
			}
			cols := map[string]ColumnInfo{}
			for _, c := range in.Columns {
				cols[c.Role] = c
			}
			for _, side := range []struct {
				role    string
				nonNull *int64
				sum     *float64
			}{{"before", e.NonNullBefore, e.SumBefore}, {"after", e.NonNullAfter, e.SumAfter}} {
				c, ok := cols[side.role]
				if !ok {
					t.Fatalf("no %s column detected", side.role)
				}
				nn := e.Rows
				if side.nonNull != nil {
					nn = *side.nonNull
				}
				if c.NonNull != nn {
					t.Errorf("%s: non-null %d, want %d", side.role, c.NonNull, nn)
				}
				if side.sum != nil && (c.Sum == nil || !relClose(*c.Sum, *side.sum)) {
					t.Errorf("%s: sum %v, want %.17g", side.role, c.Sum, *side.sum)
				}
			}
			pairs := e.Rows
			if e.CompletePairs != nil {
				pairs = *e.CompletePairs
			}
			if in.Pairs != pairs {
				t.Errorf("pairs %d, want %d", in.Pairs, pairs)
			}
			if got := in.Pairs + in.Excluded[ReasonMissing]; got != e.Rows {
				t.Errorf("pairs + missing = %d, want every row (%d)", got, e.Rows)
			}

			// Load must agree with Inspect, and its pair sums with the file's
			// complete rows.
			d, err := Load([]string{path}, Options{BatchSize: 777})
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(d.Before)) != pairs || len(d.After) != len(d.Before) {
				t.Fatalf("Load: %d/%d pairs, want %d", len(d.Before), len(d.After), pairs)
			}
		})
	}
}

// TestFixtureValuesAgree checks value by value that every double-valued
// fixture reads the same pairs as the CSV file, itself read independently
// with encoding/csv and strconv.
func TestFixtureValuesAgree(t *testing.T) {
	f, err := os.Open("testdata/fixtures/pairs.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var wantB, wantA []float64
	for _, r := range recs[1:] {
		if r[2] == "" || r[3] == "" {
			continue
		}
		b, _ := strconv.ParseFloat(r[2], 64)
		a, _ := strconv.ParseFloat(r[3], 64)
		wantB, wantA = append(wantB, b), append(wantA, a)
	}
	for _, name := range []string{"pairs.csv", "pairs.tsv", "pairs_duckdb_zstd.parquet", "pairs_duckdb_snappy.parquet", "pairs_parquetjs.parquet", "pairs_arrowrs.parquet"} {
		d, err := Load([]string{"testdata/fixtures/" + name}, Options{BatchSize: 1000})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(d.Before) != len(wantB) {
			t.Fatalf("%s: %d pairs, want %d", name, len(d.Before), len(wantB))
		}
		for i := range wantB {
			if d.Before[i] != wantB[i] || d.After[i] != wantA[i] {
				t.Fatalf("%s: pair %d = (%v, %v), want (%v, %v)", name, i, d.Before[i], d.After[i], wantB[i], wantA[i])
			}
		}
	}
	// Decimal(12,5) and float32 are roundings of the same values.
	for name, tol := range map[string]float64{"pairs_duckdb_decimal.parquet": 5e-6, "pairs_duckdb_float32.parquet": 1e-6} {
		d, err := Load([]string{"testdata/fixtures/" + name}, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range wantB {
			if math.Abs(d.Before[i]-wantB[i]) > tol*math.Max(1, wantB[i]) || math.Abs(d.After[i]-wantA[i]) > tol*math.Max(1, wantA[i]) {
				t.Fatalf("%s: pair %d = (%v, %v), want about (%v, %v)", name, i, d.Before[i], d.After[i], wantB[i], wantA[i])
			}
		}
	}
}

func TestFixtureLong(t *testing.T) {
	wide, err := Load([]string{"testdata/fixtures/pairs_duckdb_zstd.parquet"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load([]string{"testdata/fixtures/long_duckdb.parquet"}, Options{From: "0", To: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Rows != 15000 || d.Shape != ShapePaired {
		t.Fatalf("rows %d shape %s, want 15000 paired", d.Rows, d.Shape)
	}
	if d.Roles["id"] != "synapse_id" || d.Roles["time"] != "session" || d.Roles["value"] != "value" {
		t.Errorf("roles %v", d.Roles)
	}
	if len(d.Before) != len(wide.Before) {
		t.Fatalf("%d pairs from the long table, %d from the wide one", len(d.Before), len(wide.Before))
	}
	for i := range d.Before {
		if d.Before[i] != wide.Before[i] || d.After[i] != wide.After[i] {
			t.Fatalf("pair %d: long (%v, %v), wide (%v, %v)", i, d.Before[i], d.After[i], wide.Before[i], wide.After[i])
		}
	}
	// Session 2 is session 1 × 1.1.
	d12, err := Load([]string{"testdata/fixtures/long_duckdb.parquet"}, Options{From: "1", To: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d12.Before) < 4900 {
		t.Fatalf("only %d pairs 1 → 2", len(d12.Before))
	}
	for i := range d12.Before {
		if r := d12.After[i] / d12.Before[i]; math.Abs(r-1.1) > 1e-12 {
			t.Fatalf("pair %d: session 2 / session 1 = %.17g, want 1.1", i, r)
		}
	}
	// With three sessions and no choice, the reader must ask.
	if _, err := Load([]string{"testdata/fixtures/long_duckdb.parquet"}, Options{}); err == nil {
		t.Fatal("three sessions without --from/--to or --consecutive: want an error")
	}
	// Consecutive: the 0→1 and 1→2 pairs together.
	dc, err := Load([]string{"testdata/fixtures/long_duckdb.parquet"}, Options{Consecutive: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(dc.Before) != len(d.Before)+len(d12.Before) {
		t.Errorf("consecutive: %d pairs, want %d + %d", len(dc.Before), len(d.Before), len(d12.Before))
	}
}

func TestMelanderConsecutive(t *testing.T) {
	d, err := Load([]string{"testdata/melander/melander2021_synapses_long.csv"}, Options{
		ID: "synapse_id", Time: "session", Value: "green_raw", Group: "cell_type",
		Consecutive: true, Zero: ZeroMissing,
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/melander/melander2021_paired_consecutive_green.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[1:]
	if len(recs) != 5709 {
		t.Fatalf("derived file has %d pairs, want 5709", len(recs))
	}
	if len(d.Before) != len(recs) || len(d.After) != len(recs) || len(d.Group) != len(recs) {
		t.Fatalf("pivot gave %d pairs (%d groups), want %d", len(d.Before), len(d.Group), len(recs))
	}
	for i, r := range recs {
		b, _ := strconv.ParseFloat(r[5], 64)
		a, _ := strconv.ParseFloat(r[6], 64)
		if d.Before[i] != b || d.After[i] != a {
			t.Fatalf("pair %d (%s, session %s): got (%v, %v), want (%v, %v)", i, r[0], r[3], d.Before[i], d.After[i], b, a)
		}
		if g := d.GroupNames[d.Group[i]]; g != r[1] {
			t.Fatalf("pair %d: group %q, want %q", i, g, r[1])
		}
		// Each pair carries its synapse and its step (the earlier session).
		if i > 0 && (d.Synapse[i] == d.Synapse[i-1]) != (r[0] == recs[i-1][0]) {
			t.Fatalf("pair %d (%s): synapse code %d, previous %d", i, r[0], d.Synapse[i], d.Synapse[i-1])
		}
		if step := d.StepNames[d.Step[i]]; step != r[3]+"→"+r[4] {
			t.Fatalf("pair %d: step %q, want %s→%s", i, step, r[3], r[4])
		}
	}
	if len(d.Synapse) != len(recs) || len(d.StepNames) != 7 {
		t.Fatalf("%d synapse labels for %d pairs, %d steps", len(d.Synapse), len(recs), len(d.StepNames))
	}
	// Every zero is turnover: none may survive, and each excluded pair has
	// a reason.
	for i := range d.Before {
		if d.Before[i] == 0 || d.After[i] == 0 {
			t.Fatalf("pair %d has a zero", i)
		}
	}
	if d.Excluded[ReasonZero] == 0 {
		t.Error("no pairs excluded as zero")
	}
	// 1,191 synapses and 8 sessions give 1191·7 candidate pairs; the 156
	// synapses of dendrites imaged only 7 times leave their 6→7 pair unmatched.
	total := int64(len(d.Before)) + d.Excluded[ReasonZero] + d.Excluded[ReasonUnmatched] + d.Excluded[ReasonMissing]
	if total != 1191*7 || d.Excluded[ReasonUnmatched] != 156 {
		t.Errorf("pairs %d + excluded %v do not account for 1191·7 candidate pairs", len(d.Before), d.Excluded)
	}
	// Parallel blocks (far smaller than the file) give the same pivot.
	withBlocks(t, 4096)
	dp, err := Load([]string{"testdata/melander/melander2021_synapses_long.csv"}, Options{
		ID: "synapse_id", Time: "session", Value: "green_raw", Group: "cell_type",
		Consecutive: true, Zero: ZeroMissing,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(dp.Before, d.Before) || !slices.Equal(dp.After, d.After) || !slices.Equal(dp.Group, d.Group) || !slices.Equal(dp.GroupNames, d.GroupNames) {
		t.Error("parallel blocks give a different pivot")
	}
	// With zeros kept, the pairs are all consecutive rows present in the table.
	k, err := Load([]string{"testdata/melander/melander2021_synapses_long.csv"}, Options{Value: "green_raw", Consecutive: true})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(k.Before)) != 1191*7-156 || k.Counts[CountZero] == 0 {
		t.Errorf("zeros kept: %d pairs, counts %v", len(k.Before), k.Counts)
	}
}
