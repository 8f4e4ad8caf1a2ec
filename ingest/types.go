package ingest

// Shape is how the weights in a table relate to each other.
type Shape string

const (
	ShapePaired   Shape = "paired"   // the same synapses before and after
	ShapeUnpaired Shape = "unpaired" // a before sample and an unrelated after sample
	ShapeSingle   Shape = "single"   // one sample
)

// Options says how to read a table and which columns play which role.
// Empty fields are detected from the data and the detection is reported.
type Options struct {
	Format    string // "csv", "tsv", "parquet"; "" = by extension
	Delimiter rune   // 0 = by format

	Before, After string // paired or unpaired wide columns
	Column        string // single-sample column
	ID            string // long format: synapse id
	Time          string // long format: time or session
	Value         string // long format: measured value
	Condition     string // unpaired long format: which sample a row belongs to
	Group         string // optional grouping column

	From, To    string // long format: the two times to pair
	Consecutive bool   // long format: every pair of consecutive times

	Unpaired bool   // force the unpaired shape
	Zero     string // "keep" (default) or "missing": zeros mean absent (turnover)

	BatchSize int // rows per streamed batch; 0 = DefaultBatchSize
}

// DefaultBatchSize is the number of rows in a streamed batch.
const DefaultBatchSize = 1 << 16

// Exclusion reasons, the keys of Data.Excluded and Summary.Excluded.
const (
	ReasonMissing     = "missing"      // empty, NA, NaN or null in a needed column
	ReasonNonFinite   = "non_finite"   // +Inf or -Inf
	ReasonZero        = "zero"         // zero with --zero=missing (turnover)
	ReasonUnmatched   = "unmatched"    // long format: id seen at only one of the two times
)

// Counts that are reported but do not exclude a pair: the geometry decides
// (zeros and sign flips are fine under a p-norm, not under negative entropy).
const (
	CountZero     = "zero"
	CountNegative = "negative"
	CountSignFlip = "sign_flip"
)

// Data is a whole table read into memory and reduced to its analysis shape.
type Data struct {
	Files  []string
	Format string
	Shape  Shape
	Roles  map[string]string // role ("before", "after", "group", ...) → column name
	Notes  []string          // what was detected and how, for the user
	Rows   int64             // rows read from the files

	// Paired: Before[i] and After[i] are one synapse. Unpaired: two samples of
	// their own lengths. Single: Before holds the sample, After is nil.
	Before, After []float64
	// Group[i] indexes GroupNames for pair i (paired) or for the value i of
	// Before then After (unpaired: GroupBefore/GroupAfter); nil without --group.
	Group, GroupAfter []int32
	GroupNames        []string

	Excluded map[string]int64 // pairs (or values) dropped, by reason
	Counts   map[string]int64 // reported, not dropped: zero, negative, sign_flip
}
