package inputerr

import (
	"errors"
	"fmt"
	"slices"
)

// Setting names an option by its Go name within the options of an entry
// point ("Test.Bootstrap", "Noise.CV"); an argument of Optionf.
type Setting string

// OptionError is a setting that cannot be used, alone or on the data.
// Error names the settings by their Go names; Message lets a caller name
// them its own way (syngeom's command line names its flags).
type OptionError struct {
	format string
	args   []any
}

// Optionf is the OptionError of a message made as fmt.Sprintf makes it,
// in which the Setting arguments are the settings at fault.
func Optionf(format string, args ...any) *OptionError {
	return &OptionError{format: format, args: args}
}

// Error returns the message with the settings' Go names.
func (e *OptionError) Error() string { return e.Message(nil) }

// Message returns the message with each setting named by name (its Go
// name when name is nil or returns "").
func (e *OptionError) Message(name func(setting string) string) string {
	args := slices.Clone(e.args)
	for i, a := range args {
		if s, ok := a.(Setting); ok {
			args[i] = string(s)
			if name != nil {
				if n := name(string(s)); n != "" {
					args[i] = n
				}
			}
		}
	}
	return fmt.Sprintf(e.format, args...)
}

// Settings returns the Go names of the settings at fault, in the order
// the message gives them.
func (e *OptionError) Settings() []string {
	var out []string
	for _, a := range e.args {
		if s, ok := a.(Setting); ok {
			out = append(out, string(s))
		}
	}
	return out
}

// Within is the error of a nested options struct named prefix: each
// setting becomes prefix.setting ("Bootstrap" in testgeom.Options becomes
// "Test.Bootstrap" in analysis.Options).
func (e *OptionError) Within(prefix string) *OptionError {
	args := slices.Clone(e.args)
	for i, a := range args {
		if s, ok := a.(Setting); ok {
			args[i] = Setting(prefix + "." + string(s))
		}
	}
	return &OptionError{format: e.format, args: args}
}

// Is makes the error match ErrInput.
func (e *OptionError) Is(target error) bool { return Is(target) }

// Within is err with its settings named within the options field prefix
// when err is an OptionError (its Within method), else err unchanged: for
// options that hold other options and pass on their Validate's error.
func Within(prefix string, err error) error {
	var oe *OptionError
	if errors.As(err, &oe) {
		return oe.Within(prefix)
	}
	return err
}
