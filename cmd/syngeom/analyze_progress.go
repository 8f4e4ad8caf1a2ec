package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress is a one-line status on stderr for long runs: shown only when
// stderr is a terminal, only once the run has taken progressDelay, and
// redrawn at most every progressEvery. Redirected stderr gets nothing.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	start   time.Time
	last    time.Time
	shown   bool
	pending string
	stop    chan struct{}
	ended   bool
}

const (
	progressDelay = time.Second
	progressEvery = 100 * time.Millisecond
)

func newProgress(w io.Writer, enabled bool) *progress {
	f, ok := w.(*os.File)
	on := enabled && ok && term.IsTerminal(int(f.Fd()))
	p := &progress{w: w, on: on, start: time.Now(), stop: make(chan struct{})}
	if on {
		// Redraw now and then, so the elapsed time moves during a long stage.
		go func() {
			t := time.NewTicker(500 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-p.stop:
					return
				case <-t.C:
					p.mu.Lock()
					msg := p.pending
					p.mu.Unlock()
					if msg != "" {
						p.status(msg)
					}
				}
			}
		}()
	}
	return p
}

// status replaces the status line with msg.
func (p *progress) status(msg string) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	p.pending = msg
	if p.ended || now.Sub(p.start) < progressDelay || now.Sub(p.last) < progressEvery {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\r\033[K[%4.0fs] %s", now.Sub(p.start).Seconds(), msg)
	p.shown = true
}

// clear erases the status line so other messages start on a clean line.
func (p *progress) clear() {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// done ends the status display; the progress must not be used after.
func (p *progress) done() {
	if !p.on {
		return
	}
	p.clear()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ended {
		p.ended = true
		close(p.stop)
	}
}
