package ingest

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync"
)

const (
	csvBufferSize = 1 << 20
	csvMaxLine    = 64 << 20 // longer lines are an error, not an allocation
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// csvReader reads delimited text. Unquoted lines go through a fast path
// (bufio.ReadSlice, bytes.IndexByte, strconv.ParseFloat on the buffer: no
// allocation per row); from the first line holding a quote on, the rest of
// the file is read with encoding/csv, which handles quoted delimiters,
// doubled quotes and line breaks inside fields.
type csvReader struct {
	path   string
	bound  int64 // upper bound on data rows; -1 for compressed input
	file   *os.File
	gz     *gzip.Reader
	br     *bufio.Reader
	delim  byte
	fmtStr string
	cols   []tableColumn
	line   int64 // number of the last line read

	reqs  []colRequest
	slot  []int // column index → request slot, -1 if not requested
	long  []byte
	slow  *csv.Reader
	base  int64 // line number of the first line handed to slow, minus 1
	atEOF bool

	// Block-parallel parsing of large unquoted input (see nextParallel).
	parallel bool
	blocks   []*csvBlock
	nblocks  int // blocks filled by the last fillBlocks
	cur      int // block being served
	curRow   int // next row of that block
	carry    []byte
}

// csvBlock is a run of whole lines parsed by one worker into its own chunk.
// Label columns are interned in the block's own dictionaries (labels[s]),
// then mapped to the shared ones in file order when the block is served
// (remap[s]), so codes keep their order of first appearance.
type csvBlock struct {
	raw    []byte
	data   []byte
	first  int64 // line number of the first line of data
	c      *chunk
	err    error
	labels []*labels
	remap  [][]int32
}

// Block-parallel parsing is used for input larger than csvParallelMin (or
// compressed). Variables, not constants, so tests can exercise the block
// boundaries on small files.
var (
	csvParallelMin int64 = 8 << 20
	csvBlockSize         = 4 << 20
)

func openCSV(path string, f *os.File, format string, isGzip bool, delim rune) (tableReader, error) {
	r := &csvReader{path: path, file: f, bound: -1}
	var src io.Reader = f
	bufSize := csvBufferSize
	if st, err := f.Stat(); err == nil && !isGzip {
		// every row but the last ends in a line break
		r.bound = st.Size()/2 + 1
		bufSize = int(min(max(st.Size()+16, 4096), csvBufferSize))
	}
	if isGzip {
		gz, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fileError(path, "", "corrupt gzip data: %v", err)
		}
		r.gz = gz
		src = gz
	}
	br := bufio.NewReaderSize(src, bufSize)
	peek, err := br.Peek(min(bufSize, 64<<10))
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		r.close()
		return nil, r.readError(err)
	}
	if bytes.HasPrefix(peek, utf8BOM) {
		br.Discard(len(utf8BOM))
		peek = peek[len(utf8BOM):]
	}
	if bytes.IndexByte(peek, 0) >= 0 {
		r.close()
		return nil, fileError(path, "", "binary data, not %s text (NUL bytes in the first 64 KiB)", csvName(format))
	}
	// Old Mac files end lines with a lone CR: turn every CR into LF, which
	// keeps the line count right.
	if cr := bytes.IndexByte(peek, '\r'); cr >= 0 && bytes.IndexByte(peek, '\n') < 0 {
		br = bufio.NewReaderSize(crToLF{br}, bufSize)
	}
	r.br = br

	header, err := r.readHeader()
	if err != nil {
		r.close()
		return nil, err
	}
	switch {
	case delim != 0:
		if delim > 127 || delim == '"' || delim == '\n' || delim == '\r' {
			r.close()
			return nil, fileError("", "", "the delimiter must be one ASCII character other than a quote or line break, not %q", delim)
		}
		r.delim = byte(delim)
	case format == FormatTSV:
		r.delim = '\t'
	case format == FormatCSV:
		r.delim = ','
	default:
		r.delim = sniffDelimiter(header)
	}
	r.fmtStr = format
	if r.fmtStr == "" {
		r.fmtStr = FormatCSV
		if r.delim == '\t' {
			r.fmtStr = FormatTSV
		}
	}
	names, err := r.splitHeader(header)
	if err != nil {
		r.close()
		return nil, err
	}
	seen := map[string]bool{}
	for i, n := range names {
		if n == "" {
			n = fmt.Sprintf("column%d", i+1)
		}
		if seen[n] {
			r.close()
			return nil, lineError(path, r.line, n, "duplicate column name (columns must have distinct names)")
		}
		seen[n] = true
		r.cols = append(r.cols, tableColumn{name: n, numeric: true, leaf: -1})
	}
	r.sniffText()
	return r, nil
}

func csvName(format string) string {
	if format == FormatTSV {
		return "TSV"
	}
	return "CSV"
}

// sniffDelimiter picks the delimiter of a header line of unknown format.
func sniffDelimiter(header []byte) byte {
	best, n := byte(','), bytes.Count(header, []byte{','})
	for _, d := range []byte{'\t', ';'} {
		if c := bytes.Count(header, []byte{d}); c > n {
			best, n = d, c
		}
	}
	return best
}

// readHeader returns the first non-blank line, without its line ending.
// The header may be quoted; it is split later, once the delimiter is known.
func (r *csvReader) readHeader() ([]byte, error) {
	for {
		line, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if line == nil {
			return nil, fileError(r.path, "", "empty file: no header line")
		}
		if len(line) > 0 {
			return append([]byte(nil), line...), nil
		}
	}
}

func (r *csvReader) splitHeader(header []byte) ([]string, error) {
	if bytes.IndexByte(header, '"') < 0 {
		var names []string
		for f := range bytes.SplitSeq(header, []byte{r.delim}) {
			names = append(names, string(bytes.TrimSpace(f)))
		}
		return names, nil
	}
	cr := csv.NewReader(bytes.NewReader(header))
	cr.Comma = rune(r.delim)
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	if err != nil {
		return nil, lineError(r.path, r.line, "", "cannot read the header: %v", csvErrorText(err))
	}
	for i := range rec {
		rec[i] = string(bytes.TrimSpace([]byte(rec[i])))
	}
	return rec, nil
}

// readLine returns the next physical line without its line ending; nil at
// the end of the file. The slice is valid until the next call.
func (r *csvReader) readLine() ([]byte, error) {
	if r.atEOF {
		return nil, nil
	}
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(r.long) > csvMaxLine {
				return nil, lineError(r.path, r.line+1, "", "line longer than %d MiB", csvMaxLine>>20)
			}
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if err == io.EOF {
		r.atEOF = true
		if len(line) == 0 {
			return nil, nil
		}
	} else if err != nil {
		return nil, r.readError(err)
	}
	r.line++
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		n--
	}
	if n > 0 && line[n-1] == '\r' {
		n--
	}
	return line[:n], nil
}

// readError turns a failed read into an input error when the data are at
// fault (corrupt or truncated gzip), or passes an I/O failure through.
func (r *csvReader) readError(err error) error {
	if r.gz != nil && (errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) || isFlateError(err)) {
		return lineError(r.path, r.line+1, "", "corrupt or truncated gzip data: %v", err)
	}
	return fmt.Errorf("%s: %w", r.path, err)
}

func isFlateError(err error) bool {
	var ce flate.CorruptInputError
	return errors.As(err, &ce)
}

func (r *csvReader) format() string         { return r.fmtStr }
func (r *csvReader) maxRows() int64         { return r.bound }
func (r *csvReader) columns() []tableColumn { return r.cols }

func (r *csvReader) start(reqs []colRequest) error {
	r.reqs = reqs
	workers := min(runtime.GOMAXPROCS(0), 4)
	r.parallel = workers > 1 && (r.bound < 0 || r.bound > csvParallelMin/2)
	for _, q := range reqs {
		// A block's labels are mapped to the shared ones once, when the
		// block is first served; transient labels forget them sooner.
		if q.labels != nil && q.labels.transient {
			r.parallel = false
		}
	}
	if r.parallel {
		r.blocks = make([]*csvBlock, workers)
		for i := range r.blocks {
			b := &csvBlock{raw: make([]byte, csvBlockSize), c: newChunkSize(reqs, 1),
				labels: make([]*labels, len(reqs)), remap: make([][]int32, len(reqs))}
			for s, q := range reqs {
				if q.kind == kindLabel {
					b.labels[s] = newLabels()
				}
			}
			r.blocks[i] = b
		}
	}
	r.slot = make([]int, len(r.cols))
	for i := range r.slot {
		r.slot[i] = -1
	}
	for s, q := range reqs {
		r.slot[q.index] = s
	}
	return nil
}

func (r *csvReader) next(c *chunk) (int, error) {
	c.n = 0
	if r.parallel || r.cur < r.nblocks {
		if err := r.nextParallel(c); err != nil || r.parallel || c.n == c.capacity() {
			return c.n, err
		}
	}
	for c.n < c.capacity() {
		if r.slow != nil {
			ok, err := r.nextSlow(c)
			if err != nil || !ok {
				return c.n, err
			}
			continue
		}
		line, err := r.readLine()
		if err != nil {
			return c.n, err
		}
		if line == nil {
			return c.n, nil
		}
		if len(line) == 0 {
			continue // blank lines carry no row
		}
		if bytes.IndexByte(line, '"') >= 0 {
			r.startSlow(line)
			continue
		}
		if err := r.parseFast(line, r.line, c, nil); err != nil {
			return c.n, err
		}
		c.pos[c.n] = r.line
		c.n++
	}
	return c.n, nil
}

// parseFast splits an unquoted line and stores its requested fields in row
// c.n of c. It only reads the reader's configuration, so workers may call it
// concurrently on their own chunks, with their own label dictionaries
// (nil: the requests' dictionaries).
func (r *csvReader) parseFast(line []byte, lineNo int64, c *chunk, lbs []*labels) error {
	field := 0
	for {
		end := bytes.IndexByte(line, r.delim)
		f := line
		if end >= 0 {
			f = line[:end]
		}
		if field < len(r.slot) {
			if s := r.slot[field]; s >= 0 {
				if err := r.store(f, s, field, lineNo, c, lbs); err != nil {
					return err
				}
			}
		}
		field++
		if end < 0 {
			break
		}
		line = line[end+1:]
	}
	if field != len(r.cols) {
		return lineError(r.path, lineNo, "", "%d fields, but the header has %d columns", field, len(r.cols))
	}
	return nil
}

// store parses field f of column col into request slot s of row c.n.
func (r *csvReader) store(f []byte, s, col int, lineNo int64, c *chunk, lbs []*labels) error {
	switch r.reqs[s].kind {
	case kindNumber:
		v, ok := parseNumber(f)
		if !ok {
			return lineError(r.path, lineNo, r.cols[col].name, "%s is not a number", quoteText(f))
		}
		c.num[s][c.n] = v
	case kindProbe:
		v, ok := parseNumber(f)
		if !ok {
			c.text[s]++
			v = nan
		}
		c.num[s][c.n] = v
	case kindLabel:
		f = bytes.TrimSpace(f)
		if len(f) == 0 {
			c.code[s][c.n] = -1
		} else {
			l := r.reqs[s].labels
			if lbs != nil {
				l = lbs[s]
			}
			c.code[s][c.n] = l.code(f)
		}
	}
	return nil
}

// nextParallel serves rows from blocks of lines that workers parse
// concurrently, reading the next blocks when these are used up. Rows come
// out in file order and the first error in file order is the one reported,
// so the result does not depend on the schedule. When a block holds a quote,
// it and the rest of the file go back to the serial path (r.parallel is
// cleared), which handles quoted fields.
func (r *csvReader) nextParallel(c *chunk) error {
	for c.n < c.capacity() {
		if r.cur >= r.nblocks {
			if !r.parallel {
				return nil // the rest of the file goes through the serial path
			}
			if err := r.fillBlocks(); err != nil {
				return err
			}
			if r.nblocks == 0 {
				return nil
			}
		}
		b := r.blocks[r.cur]
		if b.err != nil {
			return b.err
		}
		if r.curRow == 0 {
			b.mapLabels(r.reqs)
		}
		k := min(c.capacity()-c.n, b.c.n-r.curRow)
		for s, q := range r.reqs {
			if q.kind != kindLabel {
				copy(c.num[s][c.n:c.n+k], b.c.num[s][r.curRow:r.curRow+k])
				continue
			}
			dst, remap := c.code[s][c.n:c.n+k], b.remap[s]
			for i, code := range b.c.code[s][r.curRow : r.curRow+k] {
				if code < 0 {
					dst[i] = -1
				} else {
					dst[i] = remap[code]
				}
			}
		}
		copy(c.pos[c.n:c.n+k], b.c.pos[r.curRow:r.curRow+k])
		c.n += k
		r.curRow += k
		if r.curRow == b.c.n {
			for s := range r.reqs {
				c.text[s] += b.c.text[s]
				b.c.text[s] = 0
			}
			r.cur++
			r.curRow = 0
		}
	}
	return nil
}

// fillBlocks reads up to one block per worker and parses them concurrently.
func (r *csvReader) fillBlocks() error {
	r.cur, r.curRow, r.nblocks = 0, 0, 0
	for r.nblocks < len(r.blocks) && r.parallel {
		b := r.blocks[r.nblocks]
		data, err := r.readBlock(b)
		if err != nil {
			return err
		}
		if len(data) == 0 {
			break
		}
		if bytes.IndexByte(data, '"') >= 0 {
			rest := io.MultiReader(bytes.NewReader(bytes.Clone(data)), bytes.NewReader(bytes.Clone(r.carry)), r.br)
			r.br = bufio.NewReaderSize(rest, csvBufferSize)
			r.carry, r.atEOF, r.parallel = nil, false, false
			break
		}
		b.data, b.first = data, r.line+1
		r.line += int64(bytes.Count(data, []byte{'\n'}))
		if data[len(data)-1] != '\n' {
			r.line++
		}
		r.nblocks++
	}
	var wg sync.WaitGroup
	for _, b := range r.blocks[:r.nblocks] {
		wg.Go(func() { b.err = r.parseBlock(b) })
	}
	wg.Wait()
	return nil
}

// mapLabels maps the block's label codes to the shared dictionaries, adding
// new labels in the order they first appear in the block.
func (b *csvBlock) mapLabels(reqs []colRequest) {
	for s, l := range b.labels {
		if l == nil {
			continue
		}
		b.remap[s] = b.remap[s][:0]
		for _, name := range l.names {
			b.remap[s] = append(b.remap[s], reqs[s].labels.add(name))
		}
	}
}

// readBlock returns the next whole lines of input, up to the block size,
// keeping a partial last line for the next block.
func (r *csvReader) readBlock(b *csvBlock) ([]byte, error) {
	if r.atEOF {
		return nil, nil
	}
	buf := b.raw[:cap(b.raw)]
	n := copy(buf, r.carry)
	for {
		m, err := io.ReadFull(r.br, buf[n:])
		n += m
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			r.atEOF = true
			r.carry = r.carry[:0]
			return buf[:n], nil
		}
		if err != nil {
			return nil, r.readError(err)
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			r.carry = append(r.carry[:0], buf[i+1:n]...)
			return buf[:i+1], nil
		}
		// One line fills the block: grow it, within the line limit.
		if len(buf) >= csvMaxLine {
			return nil, lineError(r.path, r.line+1, "", "line longer than %d MiB", csvMaxLine>>20)
		}
		bigger := make([]byte, 2*len(buf))
		copy(bigger, buf[:n])
		b.raw, buf = bigger, bigger
	}
}

// parseBlock parses the lines of a block into its chunk.
func (r *csvReader) parseBlock(b *csvBlock) error {
	rows := bytes.Count(b.data, []byte{'\n'}) + 1
	if b.c.capacity() < rows {
		b.c = newChunkSize(r.reqs, rows)
	}
	for _, l := range b.labels {
		if l != nil {
			clear(l.codes)
			l.names = l.names[:0]
		}
	}
	c := b.c
	c.n = 0
	line := b.first
	data := b.data
	for len(data) > 0 {
		ln := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			ln, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if n := len(ln); n > 0 && ln[n-1] == '\r' {
			ln = ln[:n-1]
		}
		if len(ln) > 0 {
			if err := r.parseFast(ln, line, c, b.labels); err != nil {
				return err
			}
			c.pos[c.n] = line
			c.n++
		}
		line++
	}
	return nil
}

// startSlow hands the rest of the file, from line on, to encoding/csv.
func (r *csvReader) startSlow(line []byte) {
	first := make([]byte, len(line)+1)
	copy(first, line)
	first[len(line)] = '\n'
	r.base = r.line - 1
	var rest io.Reader = r.br
	if r.atEOF {
		rest = eofReader{}
	}
	cr := csv.NewReader(io.MultiReader(bytes.NewReader(first), rest))
	cr.Comma = rune(r.delim)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	r.slow = cr
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

func (r *csvReader) nextSlow(c *chunk) (bool, error) {
	rec, err := r.slow.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return false, lineError(r.path, r.base+int64(pe.Line), "", "%s", csvErrorText(pe.Err))
		}
		return false, r.readError(err)
	}
	line, _ := r.slow.FieldPos(0)
	r.line = r.base + int64(line)
	if len(rec) != len(r.cols) {
		return false, lineError(r.path, r.line, "", "%d fields, but the header has %d columns", len(rec), len(r.cols))
	}
	for i, f := range rec {
		if s := r.slot[i]; s >= 0 {
			if err := r.store([]byte(f), s, i, r.line, c, nil); err != nil {
				return false, err
			}
		}
	}
	c.pos[c.n] = r.line
	c.n++
	return true, nil
}

func csvErrorText(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, csv.ErrQuote):
		return `a quoted field is not closed, or a quote inside it is not doubled ("")`
	case errors.Is(err, csv.ErrBareQuote):
		return `a quote (") inside an unquoted field; quote the field and double the quote`
	}
	return err.Error()
}

func (r *csvReader) locate(pos int64, column, format string, a ...any) *Error {
	return lineError(r.path, pos, column, format, a...)
}

func (r *csvReader) close() error {
	if r.gz != nil {
		r.gz.Close()
	}
	return r.file.Close()
}

// parseNumber parses a decimal number. Missing values (empty, NA, N/A, NaN,
// null, in any case) come back as NaN; ±Inf and infinity are accepted (and
// counted by the caller); anything else, hexadecimal floats included, is not
// a number (ok = false).
func parseNumber(f []byte) (float64, bool) {
	f = trimSpace(f)
	if len(f) == 0 {
		return nan, true
	}
	v, err := strconv.ParseFloat(string(f), 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return v, true // overflow to ±Inf or underflow to 0
		}
		if isMissingToken(f) {
			return nan, true
		}
		return 0, false
	}
	if isHexFloat(f) {
		return 0, false
	}
	return v, true
}

func isHexFloat(f []byte) bool {
	if f[0] == '+' || f[0] == '-' {
		f = f[1:]
	}
	return len(f) > 1 && f[0] == '0' && (f[1] == 'x' || f[1] == 'X')
}

func isMissingToken(f []byte) bool {
	switch len(f) {
	case 2:
		return f[0]|0x20 == 'n' && f[1]|0x20 == 'a'
	case 3:
		return f[0]|0x20 == 'n' && f[1] == '/' && f[2]|0x20 == 'a'
	case 4:
		return bytes.EqualFold(f, []byte("null")) || bytes.EqualFold(f, []byte("-nan"))
	}
	return false
}

func trimSpace(f []byte) []byte {
	for len(f) > 0 && (f[0] == ' ' || f[0] == '\t') {
		f = f[1:]
	}
	for len(f) > 0 && (f[len(f)-1] == ' ' || f[len(f)-1] == '\t') {
		f = f[:len(f)-1]
	}
	return f
}

// crToLF turns carriage returns into line feeds.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
