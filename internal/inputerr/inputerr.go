// Package inputerr holds the one sentinel that every syngeom error about
// the caller's input matches with errors.Is: a malformed file, an unknown
// option value, data a method cannot use. The error types of the other
// packages match it through an Is method; analysis exports it as ErrInput.
// OptionError, exported as analysis.OptionError, is the error of a setting:
// it names settings by their Go names, and a caller may name them its own
// way (syngeom's command line names its flags).
package inputerr

import "errors"

// ErrInput is matched by every error that describes bad input.
var ErrInput = errors.New("syngeom: bad input")

// Is reports whether target is ErrInput; error types return it from their
// Is method.
func Is(target error) bool { return target == ErrInput }
