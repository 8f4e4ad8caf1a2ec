// Package melander reads, for tests, the consecutive-session pairs of
// Melander, Nayebi et al. 2021 that the module ships in
// testgeom/testdata/melander2021_consecutive.csv (its README says where
// they come from). The tests of testgeom's analyses in other packages
// (compare, noise) read them through it. It imports no project package.
package melander

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// File is the table's path from the module root.
const File = "testgeom/testdata/melander2021_consecutive.csv"

// Pairs reads the table with a cell-type index (0 pyr, 1 pv) and a cluster
// per chain of pairs: the rows are ordered by synapse and session, so a
// pair whose before equals the previous pair's after continues the same
// synapse. A synapse absent in a session starts a new chain, so clusters
// are slightly finer than synapses. The module root is found from the
// working directory (a package directory under go test) upwards.
func Pairs(t testing.TB) (w0, w1 []float64, cell, cluster []int32) {
	t.Helper()
	f, err := os.Open(filepath.Join(moduleRoot(t), File))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var c int32 = -1
	for k, r := range rows[1:] {
		a, err1 := strconv.ParseFloat(r[1], 64)
		b, err2 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad row %v", r)
		}
		if k == 0 || a != w1[len(w1)-1] || r[0] != rows[k][0] {
			c++
		}
		ct := int32(0)
		if r[0] == "pv" {
			ct = 1
		}
		w0, w1, cell, cluster = append(w0, a), append(w1, b), append(cell, ct), append(cluster, c)
	}
	return
}

// Cells names the cell types of the table, in the order of Pairs' index.
var Cells = [2]string{"pyr", "pv"}

// CellPairs is Pairs restricted to one cell type ("pyr" or "pv"), in the
// table's order.
func CellPairs(t testing.TB, cell string) (w0, w1 []float64) {
	t.Helper()
	a, b, ct, _ := Pairs(t)
	for i := range a {
		if Cells[ct[i]] == cell {
			w0, w1 = append(w0, a[i]), append(w1, b[i])
		}
	}
	return w0, w1
}

// moduleRoot is the nearest directory holding go.mod, from the working
// directory upwards.
func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("melander: no go.mod above the working directory")
		}
		dir = up
	}
}
