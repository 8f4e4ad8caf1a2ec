package report

import (
	"strings"
	"testing"

	"github.com/syngeom/syngeom/fit"
)

// TestGOFPvalFloor: a bootstrap p-value at its floor prints as a bound,
// never as the floor's value or as 0; other p-values print as numbers.
func TestGOFPvalFloor(t *testing.T) {
	floor, mid := 0.001, 0.25
	pv := &fit.PValues{Samples: 999, KS: &floor, KSAtFloor: true, AD: &mid}
	if got := gofPval(pv, "ks"); got != "<0.001" {
		t.Errorf("p at the floor prints %q, want <0.001", got)
	}
	if got := gofPval(pv, "ad"); got != "0.25" {
		t.Errorf("p = 0.25 prints %q", got)
	}
	if got := gofPval(nil, "ad"); got != Missing {
		t.Errorf("no bootstrap prints %q", got)
	}
	note := gofFloorNote([]fit.Result{{PValues: pv}}, "ks", "ad")
	if !strings.Contains(note, "<0.001") || !strings.Contains(note, "999") {
		t.Errorf("floor note %q", note)
	}
	// KS is at its floor, but a table that shows only AD p needs no note.
	if note := gofFloorNote([]fit.Result{{PValues: pv}}, "ad"); note != "" {
		t.Errorf("a note for a p-value the table does not show: %q", note)
	}
	if gofFloorNote([]fit.Result{{PValues: &fit.PValues{Samples: 9, AD: &mid}}}, "ks", "ad") != "" {
		t.Error("a note without any p-value at the floor")
	}
}
