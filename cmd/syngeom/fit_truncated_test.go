package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const micronsCSV = "../../fit/testdata/microns_minnie65_input_synapses_3cells.csv"

// TestFitMicronsTruncatedText: the MICrONS cleft sizes with their detection
// limit. The text says the data are integers and counts the values at the
// limit, marks the truncated normal as not identified with its limit, says
// the fits were numerical and truncated, prints p-values at the bootstrap
// floor as a bound, and reports comparisons with the normal as not
// informative.
func TestFitMicronsTruncatedText(t *testing.T) {
	code, out, errs := runFitCLI("fit", micronsCSV, "--column", "size", "--truncate-below", "160",
		"--families", "normal,exponential,gamma", "--gof-samples", "9")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"all values are integers",
		"9 values equal the truncation point 160",
		"normal: NOT IDENTIFIED",
		"tends to an exponential law above 160 with rate",
		"numerical MLE of the law truncated at 160",
		"<0.1", // 9 resamples: the floor is 1/10
		"not informative: normal is not identified",
		"best by AIC: exponential",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"closed form", "AD is infinite", " 0.1 "} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
}

// TestFitMicronsTruncatedJSON: the same in JSON: status, limit, p-values
// at the floor kept as numbers with their flag, and not-informative tests
// without statistics.
func TestFitMicronsTruncatedJSON(t *testing.T) {
	code, out, errs := runFitCLI("fit", micronsCSV, "--column", "size", "--truncate-below", "160",
		"--families", "normal,exponential", "--gof-samples", "9", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Fits map[string][]struct {
			Family  string   `json:"family"`
			Status  string   `json:"status"`
			Limit   string   `json:"limit"`
			AD      *float64 `json:"ad"`
			PValues *struct {
				KS        *float64 `json:"ks"`
				KSAtFloor bool     `json:"ks_at_floor"`
				Samples   int      `json:"samples"`
				Failed    int      `json:"failed"`
				Skipped   string   `json:"skipped"`
			} `json:"p_values"`
		} `json:"fits"`
		Comparisons map[string]struct {
			Ranking     []string `json:"ranking"`
			IntegerData bool     `json:"integer_data"`
			Vuong       []struct {
				Status    string   `json:"status"`
				Reason    string   `json:"reason"`
				Statistic *float64 `json:"statistic"`
			} `json:"vuong"`
		} `json:"comparisons"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, f := range doc.Fits["sample"] {
		if f.AD == nil {
			t.Errorf("%s: AD null", f.Family)
		}
		switch f.Family {
		case "normal":
			if f.Status != "not identified" || f.Limit == "" || f.PValues == nil || f.PValues.Skipped == "" {
				t.Errorf("normal: %q, limit %q, p-values %+v", f.Status, f.Limit, f.PValues)
			}
		case "exponential":
			pv := f.PValues
			if f.Status != "ok" || pv == nil || pv.Samples+pv.Failed != 9 || pv.Samples != 9 {
				t.Fatalf("exponential: %q, %+v", f.Status, pv)
			}
			if !pv.KSAtFloor || pv.KS == nil || *pv.KS != 0.1 {
				t.Errorf("exponential KS p %v at floor %v (floor 0.1)", pv.KS, pv.KSAtFloor)
			}
		}
	}
	c := doc.Comparisons["sample"]
	if !c.IntegerData || len(c.Ranking) != 1 || c.Ranking[0] != "exponential" {
		t.Errorf("integer %v, ranking %v", c.IntegerData, c.Ranking)
	}
	if len(c.Vuong) != 1 || c.Vuong[0].Status != "not informative" || c.Vuong[0].Statistic != nil {
		t.Errorf("Vuong: %+v", c.Vuong)
	}
}
