package inputerr

import (
	"errors"
	"slices"
	"testing"
)

func TestOptionError(t *testing.T) {
	e := Optionf("%s must be ≥ 0, not %d (see %s)", Setting("Bootstrap"), -1, Setting("Seed")).Within("Test")
	if got, want := e.Error(), "Test.Bootstrap must be ≥ 0, not -1 (see Test.Seed)"; got != want {
		t.Errorf("Error %q, want %q", got, want)
	}
	flags := map[string]string{"Test.Bootstrap": "--bootstrap"}
	if got, want := e.Message(func(s string) string { return flags[s] }), "--bootstrap must be ≥ 0, not -1 (see Test.Seed)"; got != want {
		t.Errorf("Message %q, want %q", got, want)
	}
	if got := e.Settings(); !slices.Equal(got, []string{"Test.Bootstrap", "Test.Seed"}) {
		t.Errorf("Settings %q", got)
	}
	var err error = e
	var oe *OptionError
	if !errors.Is(err, ErrInput) || !errors.As(err, &oe) {
		t.Error("an OptionError is not an input error")
	}
	if got := Within("Analysis", err).Error(); got != "Analysis.Test.Bootstrap must be ≥ 0, not -1 (see Analysis.Test.Seed)" {
		t.Errorf("Within %q", got)
	}
	if other := errors.New("not a setting"); Within("Test", other) != other {
		t.Error("Within changed an error that is not an OptionError")
	}
}
