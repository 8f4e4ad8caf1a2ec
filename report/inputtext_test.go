package report

import (
	"strings"
	"testing"
)

// The input lines say in words what they mean, including when there is
// nothing to report.
func TestInputLinesInWords(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{FlaggedText(nil, "paired"), "none: no weight used is zero or negative, and no pair used changes sign"},
		{FlaggedText(map[string]int64{"zero": 0}, "single"), "none: no weight used is zero or negative"},
		{FlaggedText(map[string]int64{"zero": 12, "sign_flip": 1}, "paired"), "1 pair that changes sign, 12 zero weights (kept in the table and counted: a pair with a zero weight is left out of every comparison of candidates, since negative entropy cannot use it; a pair that changes sign is compared, and counts against negative entropy"},
		{ExcludedText(map[string]int64{}, "paired"), "nothing: every pair in the table was complete and used"},
		{ExcludedText(map[string]int64{"missing": 3}, "paired"), "missing 3 (pairs left out, by reason)"},
		{ExcludedText(nil, "unpaired"), "nothing: every value in the table was used"},
	} {
		if !strings.HasPrefix(c.got, c.want) {
			t.Errorf("got %q, want %q…", c.got, c.want)
		}
	}
}
