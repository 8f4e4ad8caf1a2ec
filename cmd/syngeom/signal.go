package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/syngeom/syngeom/internal/signalsafe"
)

// Exit codes after a signal follow the shell convention 128 + signal number.
const (
	exitSIGINT  = 130
	exitSIGTERM = 143
)

// stopOnSignal makes SIGINT and SIGTERM remove every temporary file still
// being written and exit with 130 or 143, so an interrupted run leaves
// either the complete output or none, never a partial file. Outputs are
// written to a temporary file and renamed into place, so the files that
// already exist under their final names are complete.
func stopOnSignal(stderr io.Writer) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig := <-ch
		signalsafe.RemoveAll()
		code, name := exitSIGINT, "SIGINT"
		if sig == syscall.SIGTERM {
			code, name = exitSIGTERM, "SIGTERM"
		}
		fmt.Fprintf(stderr, "syngeom: stopped by %s; unfinished output files removed\n", name)
		os.Exit(code)
	}()
}
