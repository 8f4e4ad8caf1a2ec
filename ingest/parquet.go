package ingest

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// parquetReader streams the needed columns of a Parquet file with the
// low-level typed column readers of arrow-go: values arrive packed, and the
// definition levels put nulls back in place, so the columns of a row stay
// aligned. A chunk never spans two row groups.
type parquetReader struct {
	path string
	file *os.File
	size int64
	pf   *file.Reader
	cols []tableColumn
	conv []parquetConv // per column

	reqs     []colRequest
	readers  []file.ColumnChunkReader // per slot, for the current row group
	rg       int                      // current row group; -1 before the first
	rgRows   int64
	rgDone   int64
	rgStarts []int64 // first row of each row group, in the file

	bufs []slotBuffers // per slot, so that slots can be read concurrently
	errs []error
}

// slotBuffers are the scratch buffers of one requested column.
type slotBuffers struct {
	defs []int16
	f64  []float64
	f32  []float32
	i32  []int32
	i64  []int64
	ba   []parquet.ByteArray
	flba []parquet.FixedLenByteArray
	bl   []bool
	text []byte
}

// parquetConv says how a column's physical values become float64 weights or
// label text.
type parquetConv struct {
	numeric  bool
	unsigned bool
	decimal  bool
	scale    int32
	maxDef   int16
	physical parquet.Type
}

func openParquet(path string, f *os.File, size int64) (tr tableReader, err error) {
	r := &parquetReader{path: path, file: f, size: size, rg: -1}
	defer func() {
		if p := recover(); p != nil {
			err = r.corrupt(-1, -1, "", p)
		}
		if err != nil {
			f.Close()
		}
	}()
	rp := parquet.NewReaderProperties(memory.DefaultAllocator)
	rp.BufferedStreamEnabled = true // page-sized reads instead of whole column chunks
	rp.BufferSize = min(1<<20, max(size, 4096))
	// Declared page sizes beyond what the file can hold are corruption: bound
	// them by the file size (compressed) and a generous ratio (uncompressed).
	rp.MaxCompressedPageSize = min(size, parquet.DefaultMaxCompressedPageSize)
	rp.MaxUncompressedPageSize = min(max(64<<20, 1000*size), parquet.DefaultMaxUncompressedPageSize)
	if err := checkParquetFooter(f, size); err != nil {
		return nil, fileError(path, "", "%v", err)
	}
	pf, err := file.NewParquetReader(f, file.WithReadProps(rp))
	if err != nil {
		return nil, fileError(path, "", "corrupt or truncated Parquet file: %v", err)
	}
	r.pf = pf
	md := pf.MetaData()
	if md.NumRows < 0 {
		return nil, fileError(path, "", "corrupt Parquet metadata: negative row count %d", md.NumRows)
	}
	var start int64
	for i := 0; i < pf.NumRowGroups(); i++ {
		n := md.RowGroup(i).NumRows()
		if n < 0 {
			return nil, &Error{File: path, RowGroup: i, Row: -1, Msg: fmt.Sprintf("corrupt Parquet metadata: negative row count %d", n)}
		}
		r.rgStarts = append(r.rgStarts, start)
		start += n
	}
	root := md.Schema.Root()
	seen := map[string]bool{}
	for i := 0; i < root.NumFields(); i++ {
		node := root.Field(i)
		col := tableColumn{name: node.Name(), leaf: -1}
		var cv parquetConv
		if node.Type() == schema.Group || node.RepetitionType() == parquet.Repetitions.Repeated {
			col.nested = true
			col.typ = nestedName(node)
		} else {
			col.leaf = md.Schema.ColumnIndexByNode(node)
			if col.leaf < 0 {
				return nil, fileError(path, col.name, "corrupt Parquet schema: column not found among the leaves")
			}
			col.typ, cv = parquetType(md.Schema.Column(col.leaf))
			col.numeric = cv.numeric
		}
		if seen[col.name] {
			return nil, fileError(path, col.name, "duplicate column name (columns must have distinct names)")
		}
		seen[col.name] = true
		r.cols = append(r.cols, col)
		r.conv = append(r.conv, cv)
	}
	return r, nil
}

func nestedName(node schema.Node) string {
	switch node.LogicalType().(type) {
	case schema.ListLogicalType:
		return "list"
	case schema.MapLogicalType:
		return "map"
	}
	if node.RepetitionType() == parquet.Repetitions.Repeated {
		return "list"
	}
	return "struct"
}

// parquetType names a leaf column's type for the user and says how to
// convert it.
func parquetType(c *schema.Column) (string, parquetConv) {
	cv := parquetConv{maxDef: c.MaxDefinitionLevel(), physical: c.PhysicalType()}
	lt := c.LogicalType()
	if d, ok := lt.(schema.DecimalLogicalType); ok {
		cv.numeric, cv.decimal, cv.scale = true, true, d.Scale()
		return fmt.Sprintf("decimal(%d,%d)", d.Precision(), d.Scale()), cv
	}
	switch lt.(type) {
	case schema.DateLogicalType:
		return "date", cv
	case schema.TimeLogicalType:
		return "time", cv
	case schema.TimestampLogicalType:
		return "timestamp", cv
	case schema.StringLogicalType, schema.EnumLogicalType, schema.JSONLogicalType:
		return "string", cv
	}
	switch c.PhysicalType() {
	case parquet.Types.Double:
		cv.numeric = true
		return "double", cv
	case parquet.Types.Float:
		cv.numeric = true
		return "float", cv
	case parquet.Types.Int32, parquet.Types.Int64:
		cv.numeric = true
		bits := 32
		if c.PhysicalType() == parquet.Types.Int64 {
			bits = 64
		}
		if it, ok := lt.(schema.IntLogicalType); ok {
			bits = int(it.BitWidth())
			cv.unsigned = !it.IsSigned()
		}
		if cv.unsigned {
			return "uint" + strconv.Itoa(bits), cv
		}
		return "int" + strconv.Itoa(bits), cv
	case parquet.Types.Boolean:
		return "boolean", cv
	case parquet.Types.ByteArray:
		return "binary", cv
	case parquet.Types.FixedLenByteArray:
		return fmt.Sprintf("fixed_len_byte_array(%d)", c.TypeLength()), cv
	case parquet.Types.Int96:
		return "int96", cv
	}
	return c.PhysicalType().String(), cv
}

func (r *parquetReader) format() string         { return FormatParquet }
func (r *parquetReader) maxRows() int64         { return r.pf.NumRows() }
func (r *parquetReader) columns() []tableColumn { return r.cols }

func (r *parquetReader) start(reqs []colRequest) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = r.corrupt(-1, -1, "", p)
		}
	}()
	md := r.pf.MetaData()
	for _, q := range reqs {
		col := r.cols[q.index]
		switch {
		case col.nested:
			return fileError(r.path, col.name, "a nested column (%s): syngeom reads only flat columns of numbers or labels", col.typ)
		case q.kind == kindNumber && !col.numeric:
			return fileError(r.path, col.name, "%s values, not numbers: choose a numeric column for the weights", col.typ)
		case q.kind == kindLabel && r.conv[q.index].physical == parquet.Types.Int96:
			return fileError(r.path, col.name, "the legacy int96 type cannot be used as a label")
		}
		// A column chunk must lie inside the file: its declared offsets are
		// checked before anything is read or allocated.
		for g := 0; g < r.pf.NumRowGroups(); g++ {
			rg := md.RowGroup(g)
			if rg.NumColumns() != md.Schema.NumColumns() {
				return &Error{File: r.path, RowGroup: g, Row: -1, Msg: fmt.Sprintf("corrupt Parquet metadata: %d column chunks for %d columns", rg.NumColumns(), md.Schema.NumColumns())}
			}
			cc, err := rg.ColumnChunk(col.leaf)
			if err != nil {
				return &Error{File: r.path, RowGroup: g, Row: -1, Column: col.name, Msg: "corrupt Parquet metadata: " + err.Error()}
			}
			off := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && cc.DictionaryPageOffset() < off {
				off = cc.DictionaryPageOffset()
			}
			n := cc.TotalCompressedSize()
			if off < int64(len(parquetMagic)) || n < 0 || off > r.size || n > r.size-off {
				return &Error{File: r.path, RowGroup: g, Row: -1, Column: col.name,
					Msg: fmt.Sprintf("corrupt Parquet metadata: column chunk at offset %d with %d bytes lies outside the %d-byte file", off, n, r.size)}
			}
			if cc.Type() != r.conv[q.index].physical {
				return &Error{File: r.path, RowGroup: g, Row: -1, Column: col.name, Msg: "corrupt Parquet metadata: column chunk type differs from the schema"}
			}
		}
	}
	r.reqs = reqs
	r.readers = make([]file.ColumnChunkReader, len(reqs))
	r.bufs = make([]slotBuffers, len(reqs))
	r.errs = make([]error, len(reqs))
	return nil
}

// corrupt turns a panic inside arrow-go into an input error.
func (r *parquetReader) corrupt(rg int, row int64, column string, p any) *Error {
	return &Error{File: r.path, RowGroup: rg, Row: row, Column: column, Msg: fmt.Sprintf("corrupt Parquet file (the reader failed: %v)", p)}
}

func (r *parquetReader) next(c *chunk) (n int, err error) {
	slot := -1
	defer func() {
		if p := recover(); p != nil {
			col := ""
			if slot >= 0 {
				col = r.cols[r.reqs[slot].index].name
			}
			n, err = 0, r.corrupt(r.rg, r.rgDone, col, p)
		}
	}()
	c.n = 0
	for r.rgDone >= r.rgRows {
		r.rg++
		if r.rg >= r.pf.NumRowGroups() {
			return 0, nil
		}
		r.rgRows, r.rgDone = r.pf.MetaData().RowGroup(r.rg).NumRows(), 0
		if r.rgRows == 0 {
			continue
		}
		rgr := r.pf.RowGroup(r.rg)
		for s, q := range r.reqs {
			slot = s
			cr, err := rgr.Column(r.cols[q.index].leaf)
			if err != nil {
				return 0, &Error{File: r.path, RowGroup: r.rg, Row: 0, Column: r.cols[q.index].name, Msg: "corrupt column chunk: " + err.Error()}
			}
			r.readers[s] = cr
		}
		slot = -1
	}
	need := int(min(int64(c.capacity()), r.rgRows-r.rgDone))
	// Columns decode independently: with several of them and enough rows,
	// each gets its own goroutine (results do not depend on the schedule).
	if len(r.reqs) > 1 && need >= 4096 {
		var wg sync.WaitGroup
		for s, q := range r.reqs {
			wg.Go(func() { r.errs[s] = r.readSlotSafe(s, q, c, need) })
		}
		wg.Wait()
	} else {
		for s, q := range r.reqs {
			r.errs[s] = r.readSlotSafe(s, q, c, need)
		}
	}
	for s, err := range r.errs {
		if err != nil {
			return 0, &Error{File: r.path, RowGroup: r.rg, Row: r.rgDone, Column: r.cols[r.reqs[s].index].name, Msg: "corrupt or truncated data: " + err.Error()}
		}
	}
	row := r.rgStarts[r.rg] + r.rgDone
	for i := range need {
		c.pos[i] = row + int64(i)
	}
	r.rgDone += int64(need)
	c.n = need
	return need, nil
}

// readSlotSafe reads one slot, turning a panic inside arrow-go into an
// error (a panic in a goroutine could not be recovered by the caller).
func (r *parquetReader) readSlotSafe(s int, q colRequest, c *chunk, n int) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the reader failed: %v", p)
		}
	}()
	return r.readSlot(s, q, c, n)
}

// batchReader is what the typed column chunk readers of arrow-go share.
type batchReader[T any] interface {
	ReadBatch(batchSize int64, values []T, defLvls, repLvls []int16) (total int64, valuesRead int, err error)
	Err() error
}

// readLevels reads exactly n rows of a flat column: the non-null values
// packed at the front of vals, the definition levels in defs (nil for a
// required column). It returns the number of values.
func readLevels[T any](br batchReader[T], n int, vals []T, defs []int16) (int, error) {
	total, nv := 0, 0
	for total < n {
		var d []int16
		if defs != nil {
			d = defs[total:n]
		}
		t, v, err := br.ReadBatch(int64(n-total), vals[nv:], d, nil)
		if err != nil {
			return nv, err
		}
		if t <= 0 {
			if err := br.Err(); err != nil {
				return nv, err
			}
			return nv, fmt.Errorf("the column chunk ended after %d of its %d rows", total, n)
		}
		total += int(t)
		nv += v
	}
	return nv, nil
}

func buffer[T any](b *[]T, n int) []T {
	if len(*b) < n {
		*b = make([]T, n)
	}
	return (*b)[:n]
}

func (r *parquetReader) readSlot(s int, q colRequest, c *chunk, n int) error {
	cv := r.conv[q.index]
	sb := &r.bufs[s]
	var defs []int16
	if cv.maxDef > 0 {
		defs = buffer(&sb.defs, n)
	}
	if q.kind == kindLabel {
		return r.readLabels(s, q, c, n, defs, cv, sb)
	}
	dst := c.num[s][:n]
	if !cv.numeric { // kindProbe on a non-numeric column: count, no values
		nv, err := r.skipValues(s, n, defs, sb)
		c.text[s] += int64(nv)
		for i := range dst {
			dst[i] = nan
		}
		return err
	}
	switch cr := r.readers[s].(type) {
	case *file.Float64ColumnChunkReader:
		nv, err := readLevels(cr, n, dst, defs)
		if err != nil {
			return err
		}
		spread(dst, nv, defs, cv.maxDef, nan)
	case *file.Float32ColumnChunkReader:
		vals := buffer(&sb.f32, n)
		nv, err := readLevels(cr, n, vals, defs)
		if err != nil {
			return err
		}
		for i, v := range vals[:nv] {
			dst[i] = float64(v)
		}
		spread(dst, nv, defs, cv.maxDef, nan)
	case *file.Int32ColumnChunkReader:
		return readIntegers[int32, uint32](cr, buffer(&sb.i32, n), dst, defs, &cv)
	case *file.Int64ColumnChunkReader:
		return readIntegers[int64, uint64](cr, buffer(&sb.i64, n), dst, defs, &cv)
	case *file.FixedLenByteArrayColumnChunkReader:
		return readByteDecimals(cr, buffer(&sb.flba, n), dst, defs, &cv)
	case *file.ByteArrayColumnChunkReader:
		return readByteDecimals(cr, buffer(&sb.ba, n), dst, defs, &cv)
	default:
		return fmt.Errorf("unexpected column reader %T", cr)
	}
	return nil
}

// readIntegers reads len(dst) values of an INT32 or INT64 column into dst,
// as unsigned (U is the unsigned type of T's width), decimal or plain
// integers as cv says, with NaN for nulls.
func readIntegers[T int32 | int64, U uint32 | uint64](cr batchReader[T], vals []T, dst []float64, defs []int16, cv *parquetConv) error {
	nv, err := readLevels(cr, len(dst), vals, defs)
	if err != nil {
		return err
	}
	if cv.unsigned {
		for i, v := range vals[:nv] {
			dst[i] = float64(U(v))
		}
	} else {
		for i, v := range vals[:nv] {
			dst[i] = float64(v)
		}
	}
	if cv.decimal {
		scaleDecimals(dst[:nv], vals[:nv], cv.scale)
	}
	spread(dst, nv, defs, cv.maxDef, nan)
	return nil
}

// readByteDecimals reads len(dst) decimals stored as big-endian two's
// complement bytes (FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY columns) into dst,
// with NaN for nulls.
func readByteDecimals[T ~[]byte](cr batchReader[T], vals []T, dst []float64, defs []int16, cv *parquetConv) error {
	nv, err := readLevels(cr, len(dst), vals, defs)
	if err != nil {
		return err
	}
	for i, v := range vals[:nv] {
		dst[i] = bigEndianDecimal(v, cv.scale)
	}
	spread(dst, nv, defs, cv.maxDef, nan)
	return nil
}

// spread moves the nv packed values at the front of dst to the rows whose
// definition level says they are present, filling null rows with null.
// Working backwards lets it do so in place.
func spread[T float64 | int32](dst []T, nv int, defs []int16, maxDef int16, null T) {
	if nv == len(dst) {
		return
	}
	j := nv - 1
	for i := len(dst) - 1; i >= 0; i-- {
		if defs[i] == maxDef && j >= 0 {
			dst[i] = dst[j]
			j--
		} else {
			dst[i] = null
		}
	}
}

var pow10 = func() (p [23]float64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// scaleDecimals turns unscaled decimal integers into their values. For
// |unscaled| < 2^53 and scale ≤ 22 one division is exact to the last bit
// (both operands are exact); otherwise the decimal text is parsed.
func scaleDecimals[T int32 | int64](dst []float64, unscaled []T, scale int32) {
	for i, u := range unscaled {
		dst[i] = decimalValue(int64(u), scale)
	}
}

func decimalValue(u int64, scale int32) float64 {
	if scale >= 0 && scale < int32(len(pow10)) && u > -1<<53 && u < 1<<53 {
		return float64(u) / pow10[scale]
	}
	return decimalText(big.NewInt(u), scale)
}

func decimalText(u *big.Int, scale int32) float64 {
	s := u.String() + "e" + strconv.Itoa(int(-scale))
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// bigEndianDecimal reads a two's-complement big-endian unscaled decimal.
func bigEndianDecimal(b []byte, scale int32) float64 {
	if len(b) == 0 {
		return 0
	}
	if len(b) <= 8 {
		var buf [8]byte
		if b[0]&0x80 != 0 {
			buf = [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
		}
		copy(buf[8-len(b):], b)
		return decimalValue(int64(binary.BigEndian.Uint64(buf[:])), scale)
	}
	u := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		u.Sub(u, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return decimalText(u, scale)
}

// skipValues reads n rows of any column and returns how many are non-null.
func (r *parquetReader) skipValues(s, n int, defs []int16, sb *slotBuffers) (int, error) {
	return r.readCodes(s, n, defs, nil, nil, parquetConv{}, sb)
}

// readLabels reads n rows of a label column as codes, -1 for null.
func (r *parquetReader) readLabels(s int, q colRequest, c *chunk, n int, defs []int16, cv parquetConv, sb *slotBuffers) error {
	dst := c.code[s][:n]
	nv, err := r.readCodes(s, n, defs, dst, q.labels, cv, sb)
	if err != nil {
		return err
	}
	spread(dst, nv, defs, cv.maxDef, -1)
	return nil
}

// readCodes reads n rows of the column in slot s and returns how many are
// non-null. With dst not nil it stores their label codes, packed at the
// front of dst: a label is the value's text (numbers as strconv writes
// them, unsigned columns as unsigned).
func (r *parquetReader) readCodes(s, n int, defs []int16, dst []int32, lb *labels, cv parquetConv, sb *slotBuffers) (int, error) {
	text := func(b []byte) int32 {
		sb.text = b
		return lb.code(b)
	}
	switch cr := r.readers[s].(type) {
	case *file.ByteArrayColumnChunkReader:
		return readCoded(cr, buffer(&sb.ba, n), dst, defs, func(v parquet.ByteArray) int32 { return lb.code(v) })
	case *file.FixedLenByteArrayColumnChunkReader:
		return readCoded(cr, buffer(&sb.flba, n), dst, defs, func(v parquet.FixedLenByteArray) int32 { return lb.code(v) })
	case *file.Int32ColumnChunkReader:
		return readCoded(cr, buffer(&sb.i32, n), dst, defs, intLabel[int32, uint32](sb.text, cv.unsigned, text))
	case *file.Int64ColumnChunkReader:
		return readCoded(cr, buffer(&sb.i64, n), dst, defs, intLabel[int64, uint64](sb.text, cv.unsigned, text))
	case *file.Float32ColumnChunkReader:
		return readCoded(cr, buffer(&sb.f32, n), dst, defs, func(v float32) int32 {
			return text(strconv.AppendFloat(sb.text[:0], float64(v), 'g', -1, 32))
		})
	case *file.Float64ColumnChunkReader:
		return readCoded(cr, buffer(&sb.f64, n), dst, defs, func(v float64) int32 {
			return text(strconv.AppendFloat(sb.text[:0], v, 'g', -1, 64))
		})
	case *file.BooleanColumnChunkReader:
		return readCoded(cr, buffer(&sb.bl, n), dst, defs, func(v bool) int32 { return lb.add(strconv.FormatBool(v)) })
	case *file.Int96ColumnChunkReader:
		if dst == nil {
			return readLevels(cr, n, make([]parquet.Int96, n), defs)
		}
	}
	return 0, fmt.Errorf("unexpected column reader %T", r.readers[s])
}

// readCoded reads len(vals) rows with readLevels and, when dst is not nil,
// codes the packed values into dst.
func readCoded[T any](cr batchReader[T], vals []T, dst []int32, defs []int16, code func(T) int32) (int, error) {
	nv, err := readLevels(cr, len(vals), vals, defs)
	if err == nil && dst != nil {
		for i, v := range vals[:nv] {
			dst[i] = code(v)
		}
	}
	return nv, err
}

// intLabel codes an INT32 or INT64 value by its decimal text, appended to
// buf[:0] (as unsigned, of U's width, when unsigned).
func intLabel[T int32 | int64, U uint32 | uint64](buf []byte, unsigned bool, text func([]byte) int32) func(T) int32 {
	return func(v T) int32 {
		if unsigned {
			buf = strconv.AppendUint(buf[:0], uint64(U(v)), 10)
		} else {
			buf = strconv.AppendInt(buf[:0], int64(v), 10)
		}
		return text(buf)
	}
}

func (r *parquetReader) locate(pos int64, column, format string, a ...any) *Error {
	g := sort.Search(len(r.rgStarts), func(i int) bool { return r.rgStarts[i] > pos }) - 1
	e := fileError(r.path, column, format, a...)
	if g >= 0 {
		e.RowGroup, e.Row = g, pos-r.rgStarts[g]
	}
	return e
}

func (r *parquetReader) close() error { return r.file.Close() }

// isFinite reports whether v is neither NaN nor ±Inf.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
