package fit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/syngeom/syngeom/internal/exactsum"
	"github.com/syngeom/syngeom/internal/veclog"
)

// Fits from sufficient statistics. The normal, log-normal, exponential and
// gamma families have maximum-likelihood estimates that depend on the data
// only through n, Σx, Σx², Σlog x and Σlog² x, so they can be fitted to
// any number of values in one streaming pass, exactly as if the values
// were in memory. Goodness-of-fit statistics need the values themselves
// and are not part of these fits.

// Summary holds the sufficient statistics of a sample.
type Summary struct {
	N    int     // the number of values
	Mean float64 // their mean
	SD   float64 // the maximum-likelihood sd (divided by n)
	// Positive: every value is > 0, and MeanLog and SDLog (maximum-likelihood
	// sd) describe log x.
	Positive bool
	MeanLog  float64 // the mean of log x, when Positive
	SDLog    float64 // the maximum-likelihood sd of log x, when Positive
	Min      float64 // the smallest value
	Max      float64 // the largest value
}

// SummaryAccumulator gathers a Summary from a stream of values, for all
// finite values and for the positive ones (the sample positive families
// are fitted to when zeros mean absent synapses). Sums are merged exactly
// (package exactsum), so the result depends only on the values of each
// shard, not on batch sizes or merge order.
type SummaryAccumulator struct {
	all, pos, logPos exactsum.Chunked
	zeros, negative  int64
	minAll, maxAll   float64
	minPos, maxPos   float64
}

// Add accumulates the finite values of x (others are skipped).
//
// It works by blocks: the finite values, the positive ones and their logs
// are gathered, then summed in order by exactsum.Chunked.AddSlice, so the
// sums are those of adding the values one at a time, in 40% of the time
// (BenchmarkSummaryAdd).
func (a *SummaryAccumulator) Add(x []float64) {
	const block = 256
	var fin, pos, logs [block]float64
	for len(x) > 0 {
		blk := x[:min(len(x), block)]
		x = x[len(blk):]
		nf, np, zeros := 0, 0, 0
		var negZero, posZero bool
		for _, v := range blk {
			if v-v != 0 { // NaN or ±Inf
				continue
			}
			fin[nf] = v
			nf++
			// Without a branch on the sign, which random signs would
			// mispredict half the time.
			pos[np] = v
			np += b2i(v > 0)
			if v == 0 {
				zeros++
				if math.Signbit(v) {
					negZero = true
				} else {
					posZero = true
				}
			}
		}
		a.zeros += int64(zeros)
		a.negative += int64(nf - np - zeros)
		if nf == 0 {
			continue
		}
		if a.all.N()+int64(a.all.Pending()) == 0 {
			a.minAll, a.maxAll = fin[0], fin[0]
		}
		a.minAll, a.maxAll = minMax(fin[:nf], a.minAll, a.maxAll, negZero, posZero)
		a.all.AddSlice(fin[:nf])
		if np == 0 {
			continue
		}
		if a.pos.N()+int64(a.pos.Pending()) == 0 {
			a.minPos, a.maxPos = pos[0], pos[0]
		}
		a.minPos, a.maxPos = minMax(pos[:np], a.minPos, a.maxPos, false, false)
		veclog.Logs(logs[:np], pos[:np]) // math.Log's bits, four at a time
		a.pos.AddSlice(pos[:np])
		a.logPos.AddSlice(logs[:np])
	}
}

// b2i is 1 for true and 0 for false.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// minMax is math.Min and math.Max of lo, hi and the finite values xs, of
// which negZero and posZero tell whether −0 and +0 are among them. The
// comparisons are branches, almost always predicted, where math.Min would
// make one long chain of dependent instructions; the zeros' signs are set
// at the end, −0 being the smaller.
func minMax(xs []float64, lo, hi float64, negZero, posZero bool) (float64, float64) {
	lo0, hi0 := lo, hi
	for _, v := range xs {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if lo == 0 && (negZero || lo0 == 0 && math.Signbit(lo0)) {
		lo = math.Copysign(0, -1)
	}
	if hi == 0 && (posZero || hi0 == 0 && !math.Signbit(hi0)) {
		hi = 0
	}
	return lo, hi
}

// Merge adds the values of another accumulator as a separate shard.
func (a *SummaryAccumulator) Merge(o *SummaryAccumulator) {
	for _, c := range []*exactsum.Chunked{&a.all, &a.pos, &a.logPos, &o.all, &o.pos, &o.logPos} {
		c.Flush()
	}
	if o.all.N() > 0 {
		if a.all.N() == 0 {
			a.minAll, a.maxAll = o.minAll, o.maxAll
		}
		a.minAll, a.maxAll = math.Min(a.minAll, o.minAll), math.Max(a.maxAll, o.maxAll)
	}
	if o.pos.N() > 0 {
		if a.pos.N() == 0 {
			a.minPos, a.maxPos = o.minPos, o.maxPos
		}
		a.minPos, a.maxPos = math.Min(a.minPos, o.minPos), math.Max(a.maxPos, o.maxPos)
	}
	a.all.Merge(&o.all.Moments)
	a.pos.Merge(&o.pos.Moments)
	a.logPos.Merge(&o.logPos.Moments)
	a.zeros += o.zeros
	a.negative += o.negative
}

// Counts returns the numbers of zero and negative values.
func (a *SummaryAccumulator) Counts() (zeros, negative int64) { return a.zeros, a.negative }

// Summary ends the current chunk and returns the statistics of the
// positive values (positive = true; zeros are left out) or of all values.
// A positive summary of a sample with negative values is an error.
func (a *SummaryAccumulator) Summary(positive bool) (Summary, error) {
	for _, c := range []*exactsum.Chunked{&a.all, &a.pos, &a.logPos} {
		c.Flush()
	}
	if positive {
		if a.negative > 0 {
			return Summary{}, errors.New("the sample has negative values")
		}
		n, mean, m2 := a.pos.Result()
		_, ml, l2 := a.logPos.Result()
		s := Summary{N: int(n), Mean: mean, Positive: true, MeanLog: ml, Min: a.minPos, Max: a.maxPos}
		if n > 0 {
			s.SD, s.SDLog = math.Sqrt(m2/float64(n)), math.Sqrt(l2/float64(n))
		}
		return s, nil
	}
	n, mean, m2 := a.all.Result()
	s := Summary{N: int(n), Mean: mean, Min: a.minAll, Max: a.maxAll}
	if n > 0 {
		s.SD = math.Sqrt(m2 / float64(n))
	}
	if n > 0 && a.zeros == 0 && a.negative == 0 {
		_, ml, l2 := a.logPos.Result()
		s.Positive, s.MeanLog, s.SDLog = true, ml, math.Sqrt(l2/float64(n))
	}
	return s, nil
}

// AppendBinary appends an encoding of the accumulator (ending its chunks).
func (a *SummaryAccumulator) AppendBinary(b []byte) []byte {
	for _, c := range []*exactsum.Chunked{&a.all, &a.pos, &a.logPos} {
		c.Flush()
		b = c.Moments.AppendBinary(b)
	}
	b = binary.AppendVarint(b, a.zeros)
	b = binary.AppendVarint(b, a.negative)
	for _, v := range []float64{a.minAll, a.maxAll, a.minPos, a.maxPos} {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

var errSummaryEncoding = errors.New("fit: malformed summary encoding")

// DecodeBinary reads an accumulator written by AppendBinary from the front
// of b and returns the rest.
func (a *SummaryAccumulator) DecodeBinary(b []byte) ([]byte, error) {
	*a = SummaryAccumulator{}
	var err error
	for _, c := range []*exactsum.Chunked{&a.all, &a.pos, &a.logPos} {
		if b, err = c.Moments.DecodeBinary(b); err != nil {
			return nil, errSummaryEncoding
		}
	}
	for _, p := range []*int64{&a.zeros, &a.negative} {
		v, k := binary.Varint(b)
		if k <= 0 {
			return nil, errSummaryEncoding
		}
		*p, b = v, b[k:]
	}
	for _, p := range []*float64{&a.minAll, &a.maxAll, &a.minPos, &a.maxPos} {
		if len(b) < 8 {
			return nil, errSummaryEncoding
		}
		*p, b = math.Float64frombits(binary.LittleEndian.Uint64(b)), b[8:]
	}
	return b, nil
}

// FitSummary fits the families that have sufficient statistics by maximum
// likelihood from a Summary: the same estimates, standard errors (from the
// observed information), log-likelihood and information criteria as Fit on
// the values, without the goodness-of-fit statistics. Other families are
// skipped.
func FitSummary(sm Summary, families []*Family) []Result {
	out := []Result{}
	for _, f := range families {
		if !f.HasSufficientStatistics() {
			continue
		}
		r := Result{Family: f.Name, N: sm.N, ParamNames: f.ParamNames, Method: f.Method + ", from sufficient statistics"}
		s := &sample{n: sm.N, mean: sm.Mean, sd: sm.SD, min: sm.Min, max: sm.Max, distinct3: 3,
			meanLog: sm.MeanLog, sdLog: sm.SDLog, sumLog: float64(sm.N) * sm.MeanLog}
		if !sm.Positive {
			s.nonPositive = 1
		}
		switch {
		case sm.N < 2:
			r.Status = fmt.Sprintf("too few values: %d", sm.N)
		case f.Positive && !sm.Positive:
			r.Status = "the values are not all positive"
		}
		if r.Status != "" {
			out = append(out, r)
			continue
		}
		p, err := f.mle(f, s)
		if err != nil {
			r.Status = err.Error()
			out = append(out, r)
			continue
		}
		r.Status = StatusOK
		r.Params = map[string]float64{}
		for i, name := range f.ParamNames {
			r.Params[name] = p[i]
		}
		if cov, ok := invertSPD(f.info(p, s)); ok {
			r.SE = map[string]float64{}
			for i, name := range f.ParamNames {
				r.SE[name] = math.Sqrt(cov[i][i])
			}
			r.Cov = cov
		}
		ll := f.summary(p, s)
		ic := informationCriteria(ll, f.NumParameters(), sm.N)
		r.LogLik, r.AIC, r.AICc, r.BIC = num(ll), num(ic.aic), num(ic.aicc), num(ic.bic)
		out = append(out, r)
	}
	return out
}
