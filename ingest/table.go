package ingest

import "math"

// tableColumn is one top-level column of a file as its reader sees it.
type tableColumn struct {
	name    string
	typ     string // shown to the user: "number"/"text" (CSV) or the Parquet type
	numeric bool   // can be read as a weight (CSV: false only for text in the first rows, see sniffText)
	nested  bool   // a Parquet list, map or struct: unsupported
	leaf    int    // Parquet leaf column index; -1 for CSV and nested columns
}

// colKind says how a reader delivers a requested column.
type colKind uint8

const (
	kindNumber colKind = iota // float64; NaN = missing; text is an error
	kindLabel                 // interned code in a labels dictionary; -1 = missing
	kindProbe                 // float64 with NaN for missing or text; text only counted
)

// colRequest asks a reader for one column.
type colRequest struct {
	index  int // into the reader's columns()
	kind   colKind
	labels *labels // for kindLabel; never shared by two requests, as readers may fill slots concurrently
}

// chunk is a run of rows of the requested columns, filled by a reader.
// Slot i holds request i: num[i] for kindNumber and kindProbe, code[i] for
// kindLabel. pos[r] is the CSV line of row r, or its row index in the file
// for Parquet (see tableReader.locate).
type chunk struct {
	n    int
	num  [][]float64
	code [][]int32
	text []int64 // per slot (kindProbe): non-missing values that are not numbers
	pos  []int64
}

// maxChunkRows caps the rows read at once whatever the batch size asked
// for: 4 Mi rows are 32 MiB per column, past any gain in speed.
const maxChunkRows = 1 << 22

// newChunk makes a chunk of size rows, fewer when the reader knows the file
// holds fewer.
func newChunk(tr tableReader, reqs []colRequest, size int) *chunk {
	size = min(size, maxChunkRows)
	if m := tr.maxRows(); m >= 0 && m < int64(size) {
		size = int(max(m, 1))
	}
	return newChunkSize(reqs, size)
}

// newChunkSize makes a chunk of exactly size rows.
func newChunkSize(reqs []colRequest, size int) *chunk {
	c := &chunk{num: make([][]float64, len(reqs)), code: make([][]int32, len(reqs)),
		text: make([]int64, len(reqs)), pos: make([]int64, size)}
	for i, r := range reqs {
		if r.kind == kindLabel {
			c.code[i] = make([]int32, size)
		} else {
			c.num[i] = make([]float64, size)
		}
	}
	return c
}

func (c *chunk) capacity() int { return len(c.pos) }

// tableReader reads the rows of one file, a chunk at a time, for the columns
// asked for in start. Readers return *Error for bad input.
type tableReader interface {
	format() string
	columns() []tableColumn
	// start chooses the columns to read; it fails for a column that cannot be
	// read as asked (text or nested asked for as a weight, ...).
	start(reqs []colRequest) error
	// next fills c with up to c.capacity() rows and returns how many; 0 at the
	// end of the file.
	next(c *chunk) (int, error)
	// maxRows bounds the number of rows, so that small files get small
	// buffers; -1 when unknown.
	maxRows() int64
	// locate turns a chunk position into an error location.
	locate(pos int64, column, format string, a ...any) *Error
	close() error
}

// labels interns the text of label columns (ids, times, groups, conditions)
// as dense int32 codes, in order of first appearance.
//
// Transient labels (newTransientLabels) intern nothing: every value read
// gets the next code and its bytes are kept only until reset, so that the
// ids of a long table too large to pivot in memory cost no dictionary.
type labels struct {
	codes map[string]int32
	names []string

	transient bool
	text      []byte  // transient: the values since the last reset, end to end
	ends      []int32 // transient: where value c ends in text
}

func newLabels() *labels { return &labels{codes: map[string]int32{}} }

func newTransientLabels() *labels { return &labels{transient: true} }

// code returns the code of b, adding it if new. The map lookup with
// string(b) does not allocate; only new labels do.
func (l *labels) code(b []byte) int32 {
	if l.transient {
		l.text = append(l.text, b...)
		l.ends = append(l.ends, int32(len(l.text)))
		return int32(len(l.ends) - 1)
	}
	if c, ok := l.codes[string(b)]; ok {
		return c
	}
	return l.add(string(b))
}

// bytes returns the text of code c of transient labels, valid until reset.
func (l *labels) bytes(c int32) []byte {
	start := int32(0)
	if c > 0 {
		start = l.ends[c-1]
	}
	return l.text[start:l.ends[c]]
}

// reset forgets the values of transient labels.
func (l *labels) reset() { l.text, l.ends = l.text[:0], l.ends[:0] }

func (l *labels) add(s string) int32 {
	if l.transient {
		return l.code([]byte(s))
	}
	if c, ok := l.codes[s]; ok {
		return c
	}
	c := int32(len(l.names))
	l.codes[s] = c
	l.names = append(l.names, s)
	return c
}

var nan = math.NaN()
