package analysis

import "testing"

// A default number of goodness-of-fit resamples must be able to give a
// p-value below the level at which fits are judged; otherwise a p-value at
// the bootstrap's floor 1/(resamples + 1) reads as a rejection of a model
// that the data do not contradict.
func TestDefaultGOFFloorCannotReject(t *testing.T) {
	if floor := 1 / float64(DefaultGOFSamples+1); floor > poorFitAlpha/2 {
		t.Errorf("DefaultGOFSamples = %d: floor %.3g is not well below the fit level %.2g", DefaultGOFSamples, floor, poorFitAlpha)
	}
	if DefaultGOFSamples < 199 {
		t.Errorf("DefaultGOFSamples = %d, want at least 199", DefaultGOFSamples)
	}
}
