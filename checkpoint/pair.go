package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
)

// Pair is a tensor present in both checkpoints with the same shape: its
// weights pair by position.
type Pair struct {
	Name          string  // the tensor's name, the same in both
	Before, After *Tensor // the tensor in each checkpoint
}

// Skip is a tensor left out of the analysis, and why.
type Skip struct {
	Name   string `json:"name"`   // the tensor's name
	Reason string `json:"reason"` // why it is left out
}

// Plan pairs the tensors of two checkpoints.
type Plan struct {
	Pairs      []Pair   // in the order of the before checkpoint
	Skipped    []Skip   // in both, left out by the selection
	OnlyBefore []string // tensors only in the before checkpoint
	OnlyAfter  []string // tensors only in the after checkpoint
}

// PairTensors pairs the tensors of before and after by name. With a nil
// pattern it takes every readable tensor with two or more dimensions
// (weight matrices and convolution kernels) and lists the others as
// skipped; with a pattern it takes the tensors whose names match, and a
// matching tensor that cannot be read is an error. A selected tensor whose
// shape differs between the two files is an error naming it.
func PairTensors(before, after *Checkpoint, pattern *regexp.Regexp) (*Plan, error) {
	inAfter := map[string]*Tensor{}
	for _, t := range after.Tensors {
		inAfter[t.Name] = t
	}
	inBefore := map[string]bool{}
	p := &Plan{}
	var mismatched []string
	for _, b := range before.Tensors {
		inBefore[b.Name] = true
		a := inAfter[b.Name]
		if a == nil {
			p.OnlyBefore = append(p.OnlyBefore, b.Name)
			continue
		}
		reason := ""
		switch {
		case pattern != nil && !pattern.MatchString(b.Name):
			reason = "not matched by --tensors"
		case pattern == nil && b.Dims() < 2:
			reason = fmt.Sprintf("%d-dimensional (biases, norms and scalars are left out by default; select them with --tensors)", b.Dims())
		case b.Unreadable != "" || a.Unreadable != "":
			reason = b.Unreadable
			if reason == "" {
				reason = a.Unreadable
			}
			if pattern != nil {
				return nil, tensorErrorf(before.Path+", "+after.Path, b.Name, "selected by --tensors but cannot be read: %s", reason)
			}
		case !sameShape(b.Shape, a.Shape):
			mismatched = append(mismatched, fmt.Sprintf("%s has shape %s in %s and %s in %s", b.Name, b.ShapeString(), before.Path, a.ShapeString(), after.Path))
			continue
		}
		if reason != "" {
			p.Skipped = append(p.Skipped, Skip{Name: b.Name, Reason: reason})
			continue
		}
		p.Pairs = append(p.Pairs, Pair{Name: b.Name, Before: b, After: a})
	}
	for _, a := range after.Tensors {
		if !inBefore[a.Name] {
			p.OnlyAfter = append(p.OnlyAfter, a.Name)
		}
	}
	if len(mismatched) > 0 {
		return nil, &Error{Msg: "tensors whose shapes differ cannot be paired by position: " + strings.Join(mismatched, "; ")}
	}
	if len(p.Pairs) == 0 {
		what := "no tensor with two or more dimensions is in both checkpoints"
		if pattern != nil {
			what = fmt.Sprintf("no tensor in both checkpoints matches --tensors %q", pattern.String())
		}
		return nil, &Error{Msg: fmt.Sprintf("%s: %s (%d in %s, %d in %s, %d in both)", before.Path+" and "+after.Path, what,
			len(before.Tensors), before.Path, len(after.Tensors), after.Path, len(before.Tensors)-len(p.OnlyBefore))}
	}
	return p, nil
}

func sameShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Stats describes the pairs of one tensor: what changed, and how the
// change compares with the rounding step of the stored dtype.
type Stats struct {
	Name        string   `json:"name"`         // the tensor's name
	DTypes      [2]DType `json:"dtypes"`       // before, after
	Shape       []int64  `json:"shape"`        // its shape
	Pairs       int64    `json:"pairs"`        // weight pairs read, one per element (non-finite ones too)
	NonFinite   int64    `json:"non_finite"`   // pairs with a NaN or infinite weight, excluded
	Unchanged   int64    `json:"unchanged"`    // pairs with w1 = w0 exactly
	SignChanges int64    `json:"sign_changes"` // pairs whose weights have opposite signs
	Zero        int64    `json:"zero"`         // zero weights (values, before and after)
	Negative    int64    `json:"negative"`     // negative weights (values)
	// MeanAbsChange is the mean of |w1 − w0| over the finite pairs;
	// MeanStep the mean rounding step (spacing of representable numbers)
	// of the after dtype at w1, and their ratio RoundingRatio.
	MeanAbsChange float64  `json:"mean_abs_change"`
	MeanStep      float64  `json:"mean_rounding_step"` // mean rounding step of the after dtype at w1
	RoundingRatio *float64 `json:"rounding_ratio"`     // MeanStep / MeanAbsChange; null when no weight changed

	sumChange, sumStep float64
}

// UnchangedShare is the share of finite pairs that did not change.
func (s *Stats) UnchangedShare() float64 {
	n := s.Pairs - s.NonFinite
	if n == 0 {
		return 0
	}
	return float64(s.Unchanged) / float64(n)
}

// RoundingWarning says when rounding to the stored dtype could dominate
// the changes ("" = it cannot): the rounding step is at least half the
// mean change, or 5% or more of the pairs are unchanged.
func (s *Stats) RoundingWarning() string {
	var why []string
	if r := s.RoundingRatio; r != nil && *r >= 0.5 {
		why = append(why, fmt.Sprintf("the %s rounding step is %.2g times the mean change", s.DTypes[1], *r))
	}
	if u := s.UnchangedShare(); u >= 0.05 {
		why = append(why, fmt.Sprintf("%.1f%% of the pairs are unchanged", 100*u))
	}
	if len(why) == 0 {
		return ""
	}
	return fmt.Sprintf("tensor %s: %s; rounding to the stored precision could dominate the shifts", s.Name, strings.Join(why, " and "))
}

func (s *Stats) add(w0, w1 []float64, after DType) {
	mant, minExp := after.format()
	// Signs are counted from the sign bits, not by comparisons: the signs of
	// a network's weights are random, and branches on them mispredict
	// (18 → 3.8 ns a pair with stepOf, on random signs and 2^16 pairs).
	for i, a := range w0 {
		b := w1[i]
		d := b - a
		ba, bb := math.Float64bits(a), math.Float64bits(b)
		if d == 0 {
			s.Unchanged++
		} else if (ba^bb)>>63 != 0 && a != 0 && b != 0 {
			s.SignChanges++
		}
		if a == 0 {
			s.Zero++
		} else {
			s.Negative += int64(ba >> 63)
		}
		if b == 0 {
			s.Zero++
		} else {
			s.Negative += int64(bb >> 63)
		}
		s.sumChange += math.Abs(d)
		if mant != 0 {
			s.sumStep += stepOf(b, mant, minExp)
		}
	}
}

func (s *Stats) finish() {
	n := float64(s.Pairs - s.NonFinite)
	if n == 0 {
		return
	}
	s.MeanAbsChange, s.MeanStep = s.sumChange/n, s.sumStep/n
	if s.MeanAbsChange > 0 {
		r := s.MeanStep / s.MeanAbsChange
		s.RoundingRatio = &r
	}
}

// BatchSize is the number of pairs read at a time.
const BatchSize = 1 << 16

// Read streams the pairs of every tensor pair, in order, to fn in batches
// of at most BatchSize: i indexes p.Pairs, and the pairs with a NaN or
// infinite weight are left out and counted. It returns the statistics of
// each tensor pair.
func (p *Plan) Read(fn func(i int, w0, w1 []float64) error) ([]Stats, error) {
	stats := make([]Stats, len(p.Pairs))
	b0, b1 := make([]float64, BatchSize), make([]float64, BatchSize)
	for i, pr := range p.Pairs {
		st := &stats[i]
		st.Name, st.DTypes, st.Shape = pr.Name, [2]DType{pr.Before.DType, pr.After.DType}, pr.Before.Shape
		if err := p.readPair(pr, b0, b1, st, func(w0, w1 []float64) error { return fn(i, w0, w1) }); err != nil {
			return nil, err
		}
		st.finish()
	}
	return stats, nil
}

func (p *Plan) readPair(pr Pair, b0, b1 []float64, st *Stats, fn func(w0, w1 []float64) error) error {
	i0, err := pr.Before.Iter()
	if err != nil {
		return err
	}
	defer i0.Close()
	i1, err := pr.After.Iter()
	if err != nil {
		return err
	}
	defer i1.Close()
	for {
		n, err := i0.Next(b0)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if m, err := i1.Next(b1[:n]); err != nil || m != n {
			if err == nil || errors.Is(err, io.EOF) {
				err = tensorErrorf(pr.After.File, pr.Name, "fewer values than in the before checkpoint")
			}
			return err
		}
		st.Pairs += int64(n)
		k := 0
		for j := range n {
			if finite(b0[j]) && finite(b1[j]) {
				b0[k], b1[k] = b0[j], b1[j]
				k++
			}
		}
		st.NonFinite += int64(n - k)
		st.add(b0[:k], b1[:k], pr.After.DType)
		if k > 0 {
			if err := fn(b0[:k], b1[:k]); err != nil {
				return err
			}
		}
	}
}
