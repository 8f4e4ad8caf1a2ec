package report

// Definitions printed under the geometry table and in the figure captions,
// in one place so that the text, HTML and CLI outputs say the same thing.
const (
	// DCDFNote defines the uncentred and centred ΔCDF and what their
	// calibrated p-values test.
	DCDFNote = "ΔCDF: the paper's distance of d/sd(d) from N(0,1); d is not centred, so the mean shift counts, and it is not a distance from the nearest Gaussian. ΔCDF centred: the same for (d − mean)/sd. p: calibrated by simulating Gaussian shifts at the same n and the observed mean/sd ratio, so both test the shape of the shifts, not their mean."
	// MagnitudeNote defines the paper's change magnitude and the unit-free
	// relative step behind the large-change warning.
	MagnitudeNote = "magnitude: the paper's ‖d‖₂/‖g(w0)‖₂; it depends on the unit of the weights under NE (g = 1 + log w). rel. step: rms(d)/sd(g(w0)), unit-free; above 0.5 the changes are reported as large."
	// RhoNote says what the Spearman correlations with w0 should be.
	RhoNote = "ρ: Spearman correlation with w0, near zero under the right geometry without measurement noise; noise in w0 makes ρ(d, w0) negative (regression to the mean)."
)
