package checkpoint

import (
	"fmt"

	"github.com/syngeom/syngeom/internal/inputerr"
)

// Error is a checkpoint that cannot be read: malformed, truncated, hostile,
// or holding tensors of an unsupported kind. It names the file and, when
// the problem is in one tensor, the tensor.
type Error struct {
	File   string // the checkpoint file
	Tensor string // the tensor at fault; "" when not one tensor
	Msg    string // what is wrong
}

// Is makes Error match analysis.ErrInput: it is the user's input (the CLI
// exits with code 2).
func (e *Error) Is(target error) bool { return inputerr.Is(target) }

// Error returns the message, prefixed by the file and tensor where known.
func (e *Error) Error() string {
	s := e.Msg
	if e.Tensor != "" {
		s = fmt.Sprintf("tensor %q: %s", e.Tensor, s)
	}
	if e.File != "" {
		s = e.File + ": " + s
	}
	return s
}

func errorf(file, format string, a ...any) *Error {
	return &Error{File: file, Msg: fmt.Sprintf(format, a...)}
}

func tensorErrorf(file, tensor, format string, a ...any) *Error {
	return &Error{File: file, Tensor: tensor, Msg: fmt.Sprintf(format, a...)}
}
