package stream

import "fmt"

// chainCheckMax is how many rows of a shard are looked at for chains: the
// first million say whether the table is laid out that way, and the check
// then costs nothing on larger tables.
const chainCheckMax = 1 << 20

// chainCount looks for chains in a table of pairs: consecutive
// measurements of the same synapses laid out as pairs (session 1 → 2,
// 2 → 3, …), each row's before the previous row's after. Such pairs share
// a measurement, so they are not the independent pairs that the intervals
// and the bootstrap of a table without synapse ids assume.
type chainCount struct {
	Compared int64 `json:"compared"` // rows compared with the row before
	Next     int64 `json:"next"`     // rows whose before equals the previous row's after (nonzero)
	Skip     int64 `json:"skip"`     // the same with the row two before: what chance gives
	prev     [2]float64
	rows     int64
}

// add looks at a batch of rows, in the order of the file.
func (c *chainCount) add(before, after []float64) {
	for i := range before {
		if c.rows >= chainCheckMax {
			return
		}
		if c.rows >= 2 && before[i] != 0 {
			c.Compared++
			if before[i] == c.prev[1] {
				c.Next++
			}
			if before[i] == c.prev[0] {
				c.Skip++
			}
		}
		c.prev[0], c.prev[1] = c.prev[1], after[i]
		c.rows++
	}
}

func (c *chainCount) merge(o chainCount) {
	c.Compared += o.Compared
	c.Next += o.Next
	c.Skip += o.Skip
}

// chained reports a table laid out as chains: a tenth of its rows or more
// begin where the row before ended, five times as often as two rows on.
func (c chainCount) chained() bool {
	return c.Compared > 0 && 10*c.Next >= c.Compared && c.Next >= 5*c.Skip+10
}

// warning is the warning on a chained table read without synapse ids.
func (c chainCount) warning() string {
	return fmt.Sprintf("%d of %d rows (%.0f%%) begin with the value the row before ended with: the table looks like consecutive measurements of the same synapses laid out as pairs (1 → 2, 2 → 3, …), which share a measurement and are not independent. The intervals and the bootstrap take the pairs as independent; name the synapse column with --id (or give the long table with --id and --time) so that they resample whole synapses",
		c.Next, c.Compared, 100*float64(c.Next)/float64(c.Compared))
}
