package report

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/syngeom/syngeom/analysis"
	"github.com/syngeom/syngeom/ingest"
)

// exportedOnly copies a value of the analysis package keeping its exported
// fields only: what a Result holds as plain data, without the values the
// analysis kept for itself.
func exportedOnly(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type().PkgPath() != reflect.TypeFor[analysis.Result]().PkgPath() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(exportedOnly(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(exportedOnly(v.Index(i)))
		}
		return out
	}
	return v
}

func pageHTML(t *testing.T, r *analysis.Result) string {
	t.Helper()
	doc, err := AnalysisDocument(r, AnalysisPageOptions{Footer: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := doc.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The page is drawn from the Result's plain data alone: a copy without the
// values the analysis keeps for itself (the pairs behind the per-synapse
// shift table) gives the same page, every figure included, and without
// Scope.Figures the figures that need values are left out.
func TestPageDrawsFromResultDataOnly(t *testing.T) {
	for _, c := range []struct {
		shape ingest.Shape
		svgs  int
	}{{ingest.ShapePaired, 10}, {ingest.ShapeUnpaired, 5}, {ingest.ShapeSingle, 3}} {
		r := analysisFixture(t, c.shape)
		full := pageHTML(t, r)
		bare := exportedOnly(reflect.ValueOf(r).Elem()).Addr().Interface().(*analysis.Result)
		if got := pageHTML(t, bare); got != full {
			t.Errorf("%s: the page of the Result's exported data differs from the full Result's", c.shape)
		}
		if n := strings.Count(full, "<svg"); n < c.svgs {
			t.Errorf("%s: %d figures, want at least %d", c.shape, n, c.svgs)
		}
		bare.Figures = nil
		for i := range bare.Groups {
			bare.Groups[i].Figures = nil
		}
		if strings.Count(pageHTML(t, bare), "Histogram of the") != 0 {
			t.Errorf("%s: histograms drawn without Scope.Figures", c.shape)
		}
	}
}

// reportMayCall are the functions of the computing packages that report's
// code may call: formatting and constants, no statistics.
var reportMayCall = map[string]bool{
	"testgeom.PValueCell":       true,
	"testgeom.PValueText":       true,
	"testgeom.PValueEq":         true,
	"testgeom.LambdaDecimals":   true,
	"testgeom.FormatFixed":      true,
	"testgeom.ProfileGridRange": true,
	"ingest.IsUnreadIDNote":     true,
	"ingest.CountsList":         true,
	"ingest.JoinCounts":         true,
}

// report computes nothing the analysis should: its code calls no function
// of analysis, testgeom, fit, stream, ingest or datasets beyond
// reportMayCall, and no method that evaluates a likelihood, a dual map or
// a subsample.
func TestReportCallsNoAnalysis(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	computing := map[string]bool{"analysis": true, "testgeom": true, "fit": true, "stream": true, "ingest": true, "datasets": true}
	methods := map[string]bool{"Dual": true, "Inverse": true, "LogLik": true, "LogLikelihood": true, "Subsample": true, "ShiftInterpolated": true}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		imported := map[string]bool{}
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			if base := filepath.Base(path); computing[base] && strings.HasPrefix(path, "github.com/syngeom/syngeom/") {
				imported[base] = true
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil && imported[id.Name] {
				if fn := id.Name + "." + sel.Sel.Name; !reportMayCall[fn] {
					t.Errorf("%s: report calls %s", fset.Position(call.Pos()), fn)
				}
			} else if methods[sel.Sel.Name] {
				t.Errorf("%s: report calls the method %s", fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

// Group panels draw their profile and shift figures up to
// groupPanelFigureMax groups; beyond it they keep their tables, and the
// page says why its panels have no figures.
func TestGroupPanelFiguresCapped(t *testing.T) {
	r := analysisFixture(t, ingest.ShapePaired)
	groupFigures := func(page string) int {
		i := strings.Index(page, "Every analysis above is repeated")
		if i < 0 {
			t.Fatal("no per-group section")
		}
		return strings.Count(page[i:], "<svg")
	}
	few := pageHTML(t, r)
	if n := groupFigures(few); n < 2*len(r.Groups) {
		t.Errorf("%d figures in %d group panels, want at least two each", n, len(r.Groups))
	}
	for len(r.Groups) <= groupPanelFigureMax {
		g := r.Groups[len(r.Groups)%2]
		g.Group = fmt.Sprintf("copy%d", len(r.Groups))
		r.Groups = append(r.Groups, g)
	}
	many := pageHTML(t, r)
	if n := groupFigures(many); n != 0 {
		t.Errorf("%d figures in %d group panels, want none", n, len(r.Groups))
	}
	if !strings.Contains(many, fmt.Sprintf("up to %d groups", groupPanelFigureMax)) {
		t.Error("the page does not say why the group panels have no figures")
	}
}
