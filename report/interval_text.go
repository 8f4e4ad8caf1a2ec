package report

import (
	"fmt"

	"github.com/syngeom/syngeom/testgeom"
)

// lrBeside gives the Gaussian-model likelihood-ratio interval after a
// robust headline interval, on the scale of λ + add ("" when the headline
// is that interval).
func lrBeside(li *testgeom.LambdaInterval, add float64) string {
	if li == nil || li.Method == "lr" {
		return ""
	}
	return fmt.Sprintf("; Gaussian-model likelihood-ratio interval %s", ciText(li.LRCI, add))
}
