package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Progress never writes to a stream that is not a terminal: a redirected
// stderr or a test buffer stays clean.
func TestProgressSilentWithoutTerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true)
	p.start = p.start.Add(-progressDelay * 10) // as if the run were long
	p.status("fitting")
	p.clear()
	p.done()
	p.done()
	if b.Len() != 0 {
		t.Errorf("progress wrote %q to a non-terminal", b.String())
	}
}

// On a terminal, the status line appears once the run is long, is redrawn
// in place and is erased at the end.
func TestProgressDrawsStatusLine(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b, on: true, start: time.Now(), stop: make(chan struct{})}
	p.status("reading")
	if b.Len() != 0 {
		t.Fatalf("status shown before the run was long: %q", b.String())
	}
	p.start = p.start.Add(-2 * progressDelay)
	p.status("fitting the before weights")
	if s := b.String(); !strings.HasPrefix(s, "\r\033[K[") || !strings.HasSuffix(s, "] fitting the before weights") {
		t.Errorf("status line %q", s)
	}
	b.Reset()
	p.done()
	if b.String() != "\r\033[K" {
		t.Errorf("done wrote %q, want the erase sequence", b.String())
	}
	b.Reset()
	p.status("late")
	if b.Len() != 0 {
		t.Errorf("status after done: %q", b.String())
	}
}
