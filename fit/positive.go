package fit

// WithoutZeroWeights is the sample the families fit when x holds weights:
// a zero weight is an absent synapse, which no positive family can use, so
// when the families need positive values (fams nil: chosen by the sign of
// the data) and x has zeros but no negative value, the zeros are left out
// and counted. Otherwise x comes back whole with a count of 0: signed
// weights keep their zeros.
func WithoutZeroWeights(x []float64, fams []*Family) ([]float64, int) {
	if !wantsPositive(fams) {
		return x, 0
	}
	zeros := 0
	for _, v := range x {
		if v < 0 {
			return x, 0
		}
		if v == 0 {
			zeros++
		}
	}
	if zeros == 0 || zeros == len(x) {
		return x, 0
	}
	out := make([]float64, 0, len(x)-zeros)
	for _, v := range x {
		if v > 0 {
			out = append(out, v)
		}
	}
	return out, zeros
}

// wantsPositive reports whether the families (nil: chosen by sign) can use
// positive values only.
func wantsPositive(fams []*Family) bool {
	if fams == nil {
		return true
	}
	for _, f := range fams {
		if f.Positive {
			return true
		}
	}
	return false
}
