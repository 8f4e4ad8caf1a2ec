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
	Format    string // "csv", "tsv", "parquet"; "" = by extension, then by content
	Delimiter rune   // 0 = by format (',' for CSV, '\t' for TSV)

	Before, After string // paired or unpaired wide columns
	Column        string // single-sample column (also the column of each file with two unpaired files)
	ID            string // long format: synapse id
	Time          string // long format: time or session
	Value         string // long format: measured value
	Condition     string // unpaired long format: which sample a row belongs to
	Group         string // optional grouping column

	From, To    string // long format: the two times (or conditions) to pair
	Consecutive bool   // long format: every pair of consecutive times
	// StepGroups, with Consecutive, makes each step (time t → t+1) a
	// group: Batch.Group is the step, GroupNames the steps' names in time
	// order (StepNames), and the group role is "step". It excludes Group.
	StepGroups bool

	Unpaired bool   // force the unpaired shape
	Zero     string // "keep" (default) or "missing": zeros mean absent (turnover)

	BatchSize int // rows per streamed batch; 0 = DefaultBatchSize

	// DistinctIDs says that the synapse ids of a wide paired table are all
	// different (DistinctIDs found so): a streaming scan then keeps the id
	// column's role and notes, as reading the table into memory does, and
	// does not read the column, since ids that never repeat change nothing.
	DistinctIDs bool
	// HashIDs makes a streaming scan of a wide paired table read its
	// synapse id column and give each pair the 64-bit FNV-1a hash of its id
	// (Batch.SynapseKey), so that pairs of one synapse can be told apart
	// without a dictionary of the ids. Load ignores it.
	HashIDs bool

	// MaxRows > 0 refuses input of more rows (all files together): a
	// Parquet file is refused from its metadata before any row is read, a
	// CSV file as soon as the count passes the limit.
	MaxRows int64
	// MaxMemory > 0 refuses input whose in-memory analysis would need more
	// bytes, estimated as LoadBytesPerRow per row: from the metadata for
	// Parquet, while reading for CSV. Streaming readers (Scan) apply it too,
	// so that a command fails with a clear message rather than being killed.
	MaxMemory int64

	// pivotRows > 0 replaces pivotRowsInMemory, so that tests can pivot
	// small long tables through temporary files.
	pivotRows int64
}

// DefaultBatchSize is the number of rows in a streamed batch. The passes
// wait for every worker at the end of each batch, so larger batches leave
// the cores idle less often: on 10^8 pairs from Parquet, two cores, 2^16
// rows took 9.4–9.6 s and 81–85 MB, 2^18 8.5–8.8 s and 109–113 MB, 2^19
// 8.2–8.3 s and 158–161 MB (the results do not depend on it).
const DefaultBatchSize = 1 << 18

// Zero policies for Options.Zero.
const (
	ZeroKeep    = "keep"
	ZeroMissing = "missing"
)

// Exclusion reasons, the keys of Data.Excluded and Summary.Excluded. A pair
// is counted under the first reason that applies, in this order.
const (
	ReasonMissing   = "missing"    // empty, NA, NaN or null in a needed column
	ReasonNonFinite = "non_finite" // +Inf or -Inf
	ReasonZero      = "zero"       // zero with --zero=missing (turnover)
	ReasonUnmatched = "unmatched"  // long format: id has no row at one of the two times
)

// Counts that are reported but do not exclude a pair: the geometry decides
// (zeros and sign flips are fine under a p-norm, not under negative entropy).
// CountZero and CountNegative count values (a pair can add two), CountSignFlip
// counts pairs whose before and after have opposite signs.
const (
	CountZero     = "zero"
	CountNegative = "negative"
	CountSignFlip = "sign_flip"
)

// Summary describes what a scan read and how it reduced the table to its
// analysis shape.
type Summary struct {
	Files  []string          // the files scanned, in order
	Format string            // "csv", "tsv" or "parquet" (of the first file)
	Shape  Shape             // paired, unpaired or single
	Roles  map[string]string // role ("before", "after", "id", "time", "value", "group", ...) → column name
	Notes  []string          // what was detected and how, for the user
	Rows   int64             // rows read from the files

	// Pairs is the number of pairs delivered (paired shape). NBefore and
	// NAfter count the values delivered for each sample (unpaired), NBefore
	// alone the single sample; for the paired shape both equal Pairs.
	Pairs           int64
	NBefore, NAfter int64 // values delivered per sample

	GroupNames []string // names of the group codes, in order of first appearance
	StepNames  []string // with Consecutive: the steps "t→t+1", in time order

	Excluded map[string]int64 // pairs (or values) dropped, by reason
	Counts   map[string]int64 // reported, not dropped: zero, negative, sign_flip
}

// Batch is up to BatchSize pairs (or values) of a scan, already validated:
// every value is finite and, with --zero=missing, non-zero.
//
// Paired: Before[i] and After[i] are one synapse and Group[i] its group.
// Unpaired: Before and After are parts of the two samples with their own
// lengths, Group and GroupAfter their groups. Single: After is nil.
// Group and GroupAfter are nil without a group column; GroupNames holds the
// names of the codes seen so far.
//
// A Batch and its slices are reused: they are valid only during the callback.
type Batch struct {
	Before, After     []float64 // the values of each sample or pair
	Group, GroupAfter []int32   // group codes of Before and After; nil without groups
	GroupNames        []string  // names of the group codes seen so far
	// Synapse and Step, for the consecutive pairs of a long table
	// (Options.Consecutive): pair i's synapse (a code of the id column) and
	// its step, the rank of its earlier time (Summary.StepNames); nil
	// otherwise.
	Synapse, Step []int32
	// SynapseKey, with Options.HashIDs, is pair i's 64-bit hash of its
	// synapse id in a wide table; nil otherwise.
	SynapseKey []uint64
	// File is the index of the file the batch was read from, for a wide
	// table; 0 for a long table, which is one table however many files
	// hold it.
	File int
}

// Data is a whole table read into memory and reduced to its analysis shape.
type Data struct {
	Files  []string          // the files read, in order
	Format string            // "csv", "tsv", "parquet" or FormatMemory (of the first file)
	Shape  Shape             // paired, unpaired or single
	Roles  map[string]string // role ("before", "after", "group", ...) → column name
	Notes  []string          // what was detected and how, for the user
	Rows   int64             // rows read from the files

	// Paired: Before[i] and After[i] are one synapse. Unpaired: two samples of
	// their own lengths. Single: Before holds the sample, After is nil.
	Before, After []float64
	// Group[i] indexes GroupNames for pair i (paired) or for Before[i]
	// (unpaired, single); GroupAfter[i] for After[i] (unpaired). Both are nil
	// without a group column.
	Group, GroupAfter []int32
	GroupNames        []string // names of the group codes, in order of first appearance
	// Synapse[i] and Step[i] are pair i's synapse and step with
	// Options.Consecutive (see Batch), StepNames the steps' names
	// ("t1→t2"); nil otherwise.
	Synapse, Step []int32
	StepNames     []string // the steps' names, in time order

	Excluded map[string]int64 // pairs (or values) dropped, by reason
	Counts   map[string]int64 // reported, not dropped: zero, negative, sign_flip

	// Shards are the numbers of pairs read from each file of a wide paired
	// table in several files, in order (testgeom.Options.Shards): a
	// streamed reading takes each file as a shard. nil for one file, a
	// long table, or a shape other than paired.
	Shards []int
}

// Inspection is what `syngeom inspect` reports about one or more files.
type Inspection struct {
	File     string            `json:"file"`              // the files, joined by ", "
	Files    []string          `json:"files"`             // the files, one by one
	Format   string            `json:"format"`            // "csv", "tsv" or "parquet"
	Rows     int64             `json:"rows"`              // rows read
	Columns  []ColumnInfo      `json:"columns"`           // every column, in file order
	Shape    Shape             `json:"shape,omitempty"`   // empty when no shape could be built (see Problem)
	Pairs    int64             `json:"pairs"`             // complete pairs (paired shape), else 0
	NBefore  int64             `json:"n_before"`          // values of the before (or single) sample
	NAfter   int64             `json:"n_after"`           // values of the after sample
	Roles    map[string]string `json:"roles"`             // role → column name, as detected
	Excluded map[string]int64  `json:"excluded"`          // pairs (or values) dropped, by reason
	Counts   map[string]int64  `json:"counts"`            // reported, not dropped: zero, negative, sign_flip
	Notes    []string          `json:"notes"`             // what was detected and how, for the user
	Problem  string            `json:"problem,omitempty"` // why no shape could be built
}

// ColumnInfo describes one column of an inspected table. Min, Max and Sum are
// over finite values and null when the column holds none (or is not numeric).
type ColumnInfo struct {
	Name      string   `json:"name"`       // the column's name
	Type      string   `json:"type"`       // "number" or "text" for CSV; the Parquet type otherwise
	NonNull   int64    `json:"non_null"`   // values that are not null
	NonFinite int64    `json:"non_finite"` // ±Inf values among the non-null ones
	Min       *float64 `json:"min"`        // smallest finite value
	Max       *float64 `json:"max"`        // largest finite value
	Sum       *float64 `json:"sum"`        // sum of the finite values
	Role      string   `json:"role"`       // "before", "after", "id", ... or "" when unused
	// Description says what the values are when that is not their type:
	// integer dates (YYYYMMDD) with their range, say (whose sum is then
	// null, as it means nothing).
	Description string `json:"description,omitempty"`
}
