package fit

// WantsPositive reports whether the families (nil: chosen by sign) can use
// positive values only.
func WantsPositive(fams []*Family) bool {
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

// PositiveValues returns the positive values of x and the number of zeros,
// or (nil, 0) when x has a negative value (signed weights keep their zeros).
func PositiveValues(x []float64) ([]float64, int) {
	zeros := 0
	for _, v := range x {
		if v < 0 {
			return nil, 0
		}
		if v == 0 {
			zeros++
		}
	}
	if zeros == 0 {
		return nil, 0
	}
	out := make([]float64, 0, len(x)-zeros)
	for _, v := range x {
		if v > 0 {
			out = append(out, v)
		}
	}
	return out, zeros
}
