package fit

import "strings"

// ParseFamilySet reads the families of a --families setting: "" (nil: the
// families are chosen by the sign of the data), one of the keywords
// "positive", "signed" and "all", or a comma-separated list of names (see
// ParseFamilies). Unknown names are an InputError.
func ParseFamilySet(s string) ([]*Family, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return nil, nil
	case "positive":
		return PositiveFamilies(), nil
	case "signed":
		return SignedFamilies(), nil
	case "all":
		return AllFamilies(), nil
	}
	return ParseFamilies(s)
}
