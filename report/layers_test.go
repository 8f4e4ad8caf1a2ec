package report

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func layerRows() []LayerRow {
	nan := math.NaN()
	return []LayerRow{
		{Name: "embedding", Tensors: []string{"wte.weight"}, Est: 0.94, Lo: 0.84, Hi: 1.04, PEuclidean: 0.13, PNegEntropy: 0, RejectsNE: true},
		{Name: "attention.o", Tensors: []string{"h.0.attn.c_proj.weight", "h.1.attn.c_proj.weight"}, Est: 1.03, Lo: 0.91, Hi: nan, PEuclidean: 0.55, PNegEntropy: 1e-12, RejectsNE: true},
		{Name: "mlp", Est: 0.01, Lo: -0.05, Hi: 0.06, PEuclidean: 1e-300, PNegEntropy: 0.7, RejectsEuclidean: true},
		{Name: "conv", Est: 0.5, Lo: 0.4, Hi: 0.6, RejectsEuclidean: true, RejectsNE: true},
		{Name: "norm", Est: nan, Lo: nan, Hi: nan, PEuclidean: nan, PNegEntropy: nan, Status: "too few pairs"},
	}
}

// TestLayerFigure: valid, finite SVG whose legend names the outcomes
// present, for a few layers, for many, and for none with an estimate.
func TestLayerFigure(t *testing.T) {
	svg, err := LayerFigure{Title: "λ̂ by layer", Rows: layerRows()}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	checkSVGOutput(t, "layers", svg, 60_000)
	for _, want := range []string{"rejects NE only", "rejects Euclidean only", "rejects both", "1 of 5 layers"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("no %q in the figure", want)
		}
	}
	if bytes.Contains(svg, []byte("rejects neither")) {
		t.Errorf("legend names an outcome no layer has")
	}
	var many []LayerRow
	for i := range 300 {
		x := float64(i) / 300
		many = append(many, LayerRow{Name: "l", Est: x, Lo: x - 0.1, Hi: x + 0.1, RejectsNE: i%2 == 0})
	}
	svg, err = LayerFigure{Rows: many}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	checkSVGOutput(t, "300 layers", svg, 200_000)
	svg, err = LayerFigure{Rows: layerRows()[4:]}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("no layer has an estimate")) {
		t.Errorf("no message on an empty figure")
	}
}

// TestLayersSection: the section numbers its figure, tabulates every
// layer with its tensors and rejections, and states the expectation.
func TestLayersSection(t *testing.T) {
	b := &builder{}
	s := b.layersSection(&LayerReport{GroupBy: "kind", Rows: layerRows()})
	if b.err != nil || b.n != 1 {
		t.Fatalf("err %v, %d figures", b.err, b.n)
	}
	var tab *Table
	var text []string
	for _, bl := range s.Blocks {
		switch x := bl.(type) {
		case *Table:
			tab = x
		case Paragraph:
			text = append(text, string(x))
		case Figure:
			if !strings.HasPrefix(x.Caption, "Figure 1. ") {
				t.Errorf("caption %q", x.Caption)
			}
		}
	}
	if tab == nil || len(tab.Rows) != 5 {
		t.Fatalf("table %+v", tab)
	}
	if got := strings.Join(tab.Rows[1], "|"); !strings.Contains(got, "2: h.0.attn.c_proj.weight, h.1.attn.c_proj.weight") || !strings.Contains(got, "[0.9100, ∞]") {
		t.Errorf("row 1: %s", got)
	}
	if got := tab.Rows[3][8]; got != "NE, Euclidean" {
		t.Errorf("conv rejects %q", got)
	}
	if got := tab.Rows[4][4]; got != "too few pairs" {
		t.Errorf("norm λ̂ cell %q", got)
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"Reject Euclidean: mlp, conv.", "Reject negative entropy: embedding, attention.o, conv.", LazyRegimeNote} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in %q", want, all)
		}
	}
}
