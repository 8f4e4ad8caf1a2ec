package ingest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Scan reads the files, reduces them to the analysis shape and hands the
// validated pairs (or values) to fn in batches of at most opt.BatchSize.
//
// Wide tables (paired, unpaired or single columns, one or more files with the
// same columns, or two files of one sample each) are streamed: memory is
// bounded by the batch size whatever the file size. Long tables (id, time,
// value) are pivoted first, because pairs can only be formed once every row
// of an id is known: in memory (about 24 bytes a row and a dictionary of
// ids) up to about 10^6 rows, and beyond that by partitioning the rows by id
// through temporary files (pivot.go), with bounded memory and the same
// batches. Condition tables are read into memory first.
//
// Bad input is an *Error; an error returned by fn stops the scan and comes
// back as is. The batch is reused once fn returns; fn may keep its Before
// and After and put slices of its own in their place (of any length and
// capacity), which the scan then reuses, saving the callee a copy.
func Scan(paths []string, opt Options, fn func(*Batch) error) (*Summary, error) {
	return scanFiles(context.Background(), paths, opt, fn, false)
}

// ScanContext is Scan that stops when ctx is done and then returns
// ctx.Err(): it looks at ctx after every chunk read, and while it pivots a
// long table.
func ScanContext(ctx context.Context, paths []string, opt Options, fn func(*Batch) error) (*Summary, error) {
	return scanFiles(ctx, paths, opt, fn, false)
}

// scanFiles is Scan; keepIDs keeps the ids of a wide paired table.
func scanFiles(ctx context.Context, paths []string, opt Options, fn func(*Batch) error, keepIDs bool) (*Summary, error) {
	if err := checkOptions(paths, opt); err != nil {
		return nil, err
	}
	s := &scan{ctx: ctx, paths: paths, opt: opt, fn: fn, groups: newLabels(),
		size: opt.BatchSize, zeroMissing: opt.Zero == ZeroMissing, keepIDs: keepIDs}
	if s.size == 0 {
		s.size = DefaultBatchSize
	}
	defer s.closeAll()
	if err := s.prepare(); err != nil {
		return nil, err
	}
	var err error
	switch s.plan.layout {
	case layoutWide, layoutSingle:
		err = s.runWide()
	case layoutTwoFiles:
		err = s.runTwoFiles()
	case layoutLong:
		err = s.runLong()
	case layoutCondition:
		err = s.runCondition()
	}
	if err != nil {
		return nil, err
	}
	s.finish()
	return &s.sum, nil
}

// Load reads the files into memory in their analysis shape. It is a Scan
// that keeps every batch.
func Load(paths []string, opt Options) (*Data, error) {
	return LoadContext(context.Background(), paths, opt)
}

// LoadContext is Load that stops when ctx is done and then returns
// ctx.Err() (see ScanContext).
func LoadContext(ctx context.Context, paths []string, opt Options) (*Data, error) {
	d := &Data{}
	sum, err := scanFiles(ctx, paths, opt, d.add, true)
	if err != nil {
		return nil, err
	}
	d.fill(sum, opt)
	return d, nil
}

// add appends a batch of a scan to the data.
func (d *Data) add(b *Batch) error {
	d.Before = append(d.Before, b.Before...)
	d.After = append(d.After, b.After...)
	d.Group = append(d.Group, b.Group...)
	d.GroupAfter = append(d.GroupAfter, b.GroupAfter...)
	d.Synapse = append(d.Synapse, b.Synapse...)
	d.Step = append(d.Step, b.Step...)
	for len(d.Shards) <= b.File {
		d.Shards = append(d.Shards, 0)
	}
	d.Shards[b.File] += len(b.Before)
	return nil
}

// fill completes the data from the summary of its scan.
func (d *Data) fill(sum *Summary, opt Options) {
	if sum.Shape == ShapeSingle {
		d.After = nil
	} else if d.After == nil {
		d.After = []float64{}
	}
	if d.Before == nil {
		d.Before = []float64{}
	}
	if sum.Roles["group"] == "" {
		d.Group, d.GroupAfter = nil, nil
	}
	d.Files, d.Format, d.Shape, d.Roles, d.Notes, d.Rows = sum.Files, sum.Format, sum.Shape, sum.Roles, sum.Notes, sum.Rows
	d.GroupNames, d.Excluded, d.Counts = sum.GroupNames, sum.Excluded, sum.Counts
	if sum.Shape != ShapePaired || len(d.Shards) < 2 {
		d.Shards = nil
	}
	if opt.Consecutive {
		d.StepNames = sum.StepNames
		if d.Synapse == nil {
			d.Synapse, d.Step = []int32{}, []int32{}
		}
	} else if d.Synapse != nil {
		d.wideSynapses()
	}
}

// RepeatedIDNote is the note on a wide table whose id column repeats: its
// pairs come from fewer synapses.
func RepeatedIDNote(column string, pairs, synapses int) string {
	return fmt.Sprintf("the id column %q repeats: the %d pairs come from %d synapses, so pairs of one synapse are resampled and summed together", column, pairs, synapses)
}

// wideSynapses keeps the ids of a wide table only when some repeat: unique
// ids change nothing, repeated ones make pairs of one synapse that the
// tests resample and sum together.
func (d *Data) wideSynapses() {
	n := 0
	seen := make([]bool, len(d.Synapse)+1)
	for _, c := range d.Synapse {
		if int(c) >= len(seen) {
			seen = append(seen, make([]bool, int(c)+1-len(seen))...)
		}
		if !seen[c] {
			seen[c] = true
			n++
		}
	}
	if n == len(d.Synapse) {
		d.Synapse = nil
		return
	}
	d.Notes = append(d.Notes, RepeatedIDNote(d.Roles["id"], len(d.Synapse), n))
}

type scan struct {
	ctx         context.Context
	paths       []string
	opt         Options
	fn          func(*Batch) error
	plan        *plan
	readers     []tableReader // one per file once opened; kept after closing for locate
	open        []bool
	sum         Summary
	batch       Batch
	groups      *labels
	size        int
	zeroMissing bool
	// keepIDs reads the id column of a wide paired table into
	// Batch.Synapse (Load only: a stream does not cluster); ids codes it.
	keepIDs     bool
	ids         *labels
	hashIDs     bool  // ids are transient labels, hashed into Batch.SynapseKey (Options.HashIDs)
	missingCode int32 // group code of rows without a group label; -1 until needed

	// per-value tallies, copied into the summary's maps by finish
	nMissing, nNonFinite, nZeroExcluded int64
	nZero, nNegative, nSignFlip         int64

	// ragged-table detection for wide pairs: per column, the missing values
	// and the last row holding a value
	missing [2]int64
	last    [2]int64
	// declared counts the rows Parquet metadata declared in the files
	// opened so far, for the guards of guard.go.
	declared int64
}

func (s *scan) prepare() error {
	s.readers = make([]tableReader, len(s.paths))
	s.open = make([]bool, len(s.paths))
	s.missingCode = -1
	first, err := s.reader(0)
	if err != nil {
		return err
	}
	cols := [][]tableColumn{first.columns()}
	if s.opt.Unpaired && len(s.paths) == 2 {
		second, err := s.reader(1)
		if err != nil {
			return err
		}
		cols = append(cols, second.columns())
	}
	s.plan, err = makePlan(s.paths, cols, s.opt)
	if err != nil {
		return err
	}
	s.sum = Summary{
		Files:    slices.Clone(s.paths),
		Format:   first.format(),
		Shape:    s.plan.shape,
		Roles:    s.plan.roles,
		Notes:    s.plan.notes,
		Excluded: map[string]int64{},
		Counts:   map[string]int64{},
	}
	return nil
}

func (s *scan) reader(i int) (tableReader, error) {
	if s.readers[i] == nil {
		tr, err := openTable(s.paths[i], s.opt)
		if err != nil {
			return nil, err
		}
		s.readers[i], s.open[i] = tr, true
		if err := s.checkDeclaredRows(i, tr); err != nil {
			return nil, err
		}
	}
	return s.readers[i], nil
}

func (s *scan) closeFile(i int) {
	if s.open[i] {
		s.readers[i].close()
		s.open[i] = false
	}
}

func (s *scan) closeAll() {
	for i := range s.readers {
		s.closeFile(i)
	}
}

func (s *scan) note(format string, a ...any) {
	s.sum.Notes = append(s.sum.Notes, fmt.Sprintf(format, a...))
}

// request resolves the columns of the plan in file i and starts reading them.
// Label columns use dicts[k] when given, else the group labels.
func (s *scan) request(i int, names []string, kinds []colKind, dicts ...*labels) (tableReader, []colRequest, error) {
	tr, err := s.reader(i)
	if err != nil {
		return nil, nil, err
	}
	cols := tr.columns()
	reqs := make([]colRequest, len(names))
	for k, name := range names {
		j := findColumn(cols, name)
		if j < 0 {
			return nil, nil, fileError(s.paths[i], "", "no column %q, which %s has; the columns are: %s", name, s.paths[0], listColumns(columnNames(cols)))
		}
		for _, prev := range reqs[:k] {
			if prev.index == j {
				return nil, nil, fileError(s.paths[i], cols[j].name, "the same column cannot play two roles (%s)", rolesOf(s.plan.roles, cols[j].name))
			}
		}
		reqs[k] = colRequest{index: j, kind: kinds[k]}
		if kinds[k] == kindLabel {
			reqs[k].labels = s.groups
			if k < len(dicts) && dicts[k] != nil {
				reqs[k].labels = dicts[k]
			}
		}
	}
	if err := tr.start(reqs); err != nil {
		return nil, nil, err
	}
	return tr, reqs, nil
}

// rolesOf lists the roles given to a column.
func rolesOf(roles map[string]string, column string) string {
	var r []string
	for role, c := range roles {
		if c == column {
			r = append(r, role)
		}
	}
	slices.Sort(r)
	return strings.Join(r, ", ")
}

// groupCode maps a missing label to a group of its own, named "(missing)".
func (s *scan) groupCode(c int32) int32 {
	if c >= 0 {
		return c
	}
	if s.missingCode < 0 {
		s.missingCode = s.groups.add("(missing)")
		s.note("rows without a %s label form the group \"(missing)\"", s.plan.roles["group"])
	}
	return s.missingCode
}

// emit hands the batch to the callback and resets it.
func (s *scan) emit() error {
	b := &s.batch
	if len(b.Before) == 0 && len(b.After) == 0 {
		return nil
	}
	b.GroupNames = s.groups.names
	if s.plan.shape == ShapePaired {
		s.sum.Pairs += int64(len(b.Before))
	}
	s.sum.NBefore += int64(len(b.Before))
	s.sum.NAfter += int64(len(b.After))
	err := s.fn(b)
	b.Before, b.After, b.Group, b.GroupAfter = b.Before[:0], b.After[:0], b.Group[:0], b.GroupAfter[:0]
	b.Synapse, b.Step, b.SynapseKey = b.Synapse[:0], b.Step[:0], b.SynapseKey[:0]
	return err
}

// pair validates one pair and adds it to the batch; it reports whether it
// did.
func (s *scan) pair(x, y float64, g int32, hasGroup bool) bool {
	if x-x != 0 || y-y != 0 { // NaN or ±Inf
		if x != x || y != y {
			s.nMissing++
		} else {
			s.nNonFinite++
		}
		return false
	}
	if x <= 0 || y <= 0 {
		if s.zeroMissing && (x == 0 || y == 0) {
			s.nZeroExcluded++
			return false
		}
		s.countSigns(x)
		s.countSigns(y)
		if (x < 0 && y > 0) || (x > 0 && y < 0) {
			s.nSignFlip++
		}
	}
	b := &s.batch
	b.Before = append(b.Before, x)
	b.After = append(b.After, y)
	if hasGroup {
		b.Group = append(b.Group, g)
	}
	return true
}

func (s *scan) countSigns(x float64) {
	if x == 0 {
		s.nZero++
	} else if x < 0 {
		s.nNegative++
	}
}

// value validates one value of an unpaired or single sample; it reports
// whether the value is kept.
func (s *scan) value(x float64) bool {
	if x-x != 0 {
		if x != x {
			s.nMissing++
		} else {
			s.nNonFinite++
		}
		return false
	}
	if x == 0 && s.zeroMissing {
		s.nZeroExcluded++
		return false
	}
	s.countSigns(x)
	return true
}

func (s *scan) runWide() error {
	r := s.plan.roles
	names, kinds := []string{r["before"], r["after"]}, []colKind{kindNumber, kindNumber}
	if s.plan.layout == layoutSingle {
		names, kinds = []string{r["value"]}, []colKind{kindNumber}
	}
	hasGroup := r["group"] != ""
	if hasGroup {
		names, kinds = append(names, r["group"]), append(kinds, kindLabel)
	}
	gs := len(names) - 1
	var dicts []*labels
	if r["id"] != "" && s.plan.layout == layoutWide && s.plan.shape == ShapePaired {
		switch {
		case !s.keepIDs && s.opt.DistinctIDs:
			// Known to be distinct: they change nothing, and the summary
			// is the in-memory reader's.
		case !s.keepIDs && s.opt.HashIDs:
			s.ids, s.hashIDs = newTransientLabels(), true
			dicts = make([]*labels, len(names)+1)
			dicts[len(names)] = s.ids
			names, kinds = append(names, r["id"]), append(kinds, kindLabel)
		case !s.keepIDs:
			// A stream does not use them: say so (instead of the note that
			// they will be used), since repeated ids would make the pairs of
			// one synapse count as independent.
			s.sum.Notes = slices.DeleteFunc(s.sum.Notes, func(n string) bool { return n == detectedIDNote(r["id"]) })
			s.note("%s", UnreadIDNote(r["id"]))
			delete(r, "id")
		default:
			s.ids = newLabels()
			dicts = make([]*labels, len(names)+1)
			dicts[len(names)] = s.ids
			names, kinds = append(names, r["id"]), append(kinds, kindLabel)
		}
	}
	s.last = [2]int64{-1, -1}
	for i := range s.paths {
		s.batch.File = i
		err := s.eachChunk(i, names, kinds, dicts, false, func(_ tableReader, ch *chunk, n int) error {
			return s.wideChunk(ch, n, hasGroup, gs)
		})
		if err != nil {
			return err
		}
	}
	if err := s.emit(); err != nil {
		return err
	}
	if s.plan.shape == ShapePaired {
		s.raggedNote()
	}
	return nil
}

func (s *scan) wideChunk(ch *chunk, n int, hasGroup bool, gs int) error {
	b := &s.batch
	var group []int32
	if hasGroup {
		group = ch.code[gs][:n]
	}
	switch {
	case s.plan.layout == layoutSingle:
		s.keep(&b.Before, &b.Group, ch.num[0][:n], group)
	case s.plan.shape == ShapeUnpaired:
		s.keep(&b.Before, &b.Group, ch.num[0][:n], group)
		s.keep(&b.After, &b.GroupAfter, ch.num[1][:n], group)
	default:
		before, after := ch.num[0][:n], ch.num[1][:n]
		var ids []int32
		if s.ids != nil {
			ids = ch.code[len(ch.code)-1][:n]
		}
		s.pairs(before, after, group, ids)
		if s.hashIDs {
			s.ids.reset()
		}
		s.trackRagged(before, after)
	}
	return s.emit()
}

// pairs validates a run of pairs into the batch. Finite positive pairs, the
// common case, take a branch-light path; the rest go through pair.
func (s *scan) pairs(before, after []float64, group, ids []int32) {
	if ids != nil {
		// Pairs with their synapse take the plain path: ids are for
		// in-memory tables and for streamed ones that repeat them, where
		// this loop is not the bottleneck.
		for i, x := range before {
			if x != x {
				s.missing[0]++
			}
			if after[i] != after[i] {
				s.missing[1]++
			}
			var g int32
			if group != nil {
				g = s.groupCode(group[i])
			}
			switch {
			case !s.pair(x, after[i], g, group != nil):
			case s.hashIDs: // transient labels: their hash (Options.HashIDs)
				s.batch.SynapseKey = append(s.batch.SynapseKey, fnv1a(s.ids.bytes(ids[i])))
			default:
				s.batch.Synapse = append(s.batch.Synapse, ids[i])
			}
		}
		return
	}
	b := &s.batch
	k := len(b.Before)
	b.Before = slices.Grow(b.Before, len(before))[:k+len(before)]
	b.After = slices.Grow(b.After, len(before))[:k+len(before)]
	if group != nil {
		b.Group = slices.Grow(b.Group, len(before))[:k+len(before)]
	}
	bb, ab := b.Before, b.After
	after = after[:len(before)]
	for i, x := range before {
		y := after[i]
		if x-x == 0 && y-y == 0 && x > 0 && y > 0 {
			bb[k], ab[k] = x, y
			if group != nil {
				b.Group[k] = s.groupCode(group[i])
			}
			k++
			continue
		}
		if x != x {
			s.missing[0]++
		}
		if y != y {
			s.missing[1]++
		}
		b.Before, b.After = bb[:k], ab[:k]
		if group != nil {
			b.Group = b.Group[:k]
			s.pair(x, y, s.groupCode(group[i]), true)
		} else {
			s.pair(x, y, 0, false)
		}
		k = len(b.Before)
		bb, ab = b.Before[:cap(b.Before)], b.After[:cap(b.After)]
		if group != nil {
			b.Group = b.Group[:cap(b.Group)]
		}
	}
	b.Before, b.After = bb[:k], ab[:k]
	if group != nil {
		b.Group = b.Group[:k]
	}
}

// trackRagged keeps what raggedNote needs to spot two samples of different
// lengths written side by side (pairs counts the missing values).
func (s *scan) trackRagged(cols ...[]float64) {
	for k, col := range cols {
		for i := len(col) - 1; i >= 0; i-- {
			if col[i] == col[i] {
				s.last[k] = s.sum.Rows + int64(i)
				break
			}
		}
	}
}

// raggedNote warns when one column's values stop early and all its missing
// values are that trailing block: the look of two unpaired samples.
func (s *scan) raggedNote() {
	r := s.plan.roles
	names := [2]string{r["before"], r["after"]}
	for k := range 2 {
		o := 1 - k
		trailing := s.sum.Rows - 1 - s.last[k]
		if trailing >= 2 && s.missing[k] == trailing && s.last[o] > s.last[k] {
			s.note("column %q has no values after row %d while %q goes on to row %d: if the two columns are separate samples rather than pairs, use --unpaired", names[k], s.last[k]+1, names[o], s.last[o]+1)
		}
	}
}

// keep appends the values of x that count to *vals and, when group is not
// nil, their group codes to *groups.
func (s *scan) keep(vals *[]float64, groups *[]int32, x []float64, group []int32) {
	for i, v := range x {
		if !s.value(v) {
			continue
		}
		*vals = append(*vals, v)
		if group != nil {
			*groups = append(*groups, s.groupCode(group[i]))
		}
	}
}

func (s *scan) runTwoFiles() error {
	hasGroup := s.plan.roles["group"] != ""
	for k := range 2 {
		names, kinds := []string{s.plan.fileColumns[k]}, []colKind{kindNumber}
		if hasGroup {
			names, kinds = append(names, s.plan.roles["group"]), append(kinds, kindLabel)
		}
		b := &s.batch
		vals, groups := &b.Before, &b.Group
		if k == 1 {
			vals, groups = &b.After, &b.GroupAfter
		}
		err := s.eachChunk(k, names, kinds, nil, true, func(_ tableReader, ch *chunk, n int) error {
			var group []int32
			if hasGroup {
				group = ch.code[1][:n]
			}
			s.keep(vals, groups, ch.num[0][:n], group)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// longRows are the rows of a long table, kept in memory to be pivoted.
type longRows struct {
	id, time, group []int32 // label codes
	value           []float64
	pos             []int64 // reader position (CSV line or Parquet row)
	file            []int32
}

// collect reads the label columns (id or condition, time) and the value of
// every file into memory. With flush, it hands flush the rows of each
// chunk instead and keeps none.
func (s *scan) collect(keyRoles []string, keys []*labels, flush func(*longRows) error) (*longRows, error) {
	r := s.plan.roles
	hasGroup := r["group"] != ""
	var names []string
	var kinds []colKind
	for _, role := range keyRoles {
		names, kinds = append(names, r[role]), append(kinds, kindLabel)
	}
	names, kinds = append(names, r["value"]), append(kinds, kindNumber)
	if hasGroup {
		names, kinds = append(names, r["group"]), append(kinds, kindLabel)
	}
	rows := &longRows{}
	for i := range s.paths {
		err := s.eachChunk(i, names, kinds, keys, false, func(tr tableReader, ch *chunk, n int) error {
			for k, role := range keyRoles {
				for j, c := range ch.code[k][:n] {
					if c < 0 {
						return tr.locate(ch.pos[j], r[role], "empty %s: every row of a long table needs one", role)
					}
				}
			}
			if len(keyRoles) == 2 {
				rows.id = append(rows.id, ch.code[0][:n]...)
				rows.time = append(rows.time, ch.code[1][:n]...)
			} else {
				rows.time = append(rows.time, ch.code[0][:n]...)
			}
			rows.value = append(rows.value, ch.num[len(keyRoles)][:n]...)
			if hasGroup {
				for _, c := range ch.code[len(names)-1][:n] {
					rows.group = append(rows.group, s.groupCode(c))
				}
			}
			rows.pos = append(rows.pos, ch.pos[:n]...)
			for range n {
				rows.file = append(rows.file, int32(i))
			}
			if flush == nil {
				return nil
			}
			err := flush(rows)
			*rows = longRows{id: rows.id[:0], time: rows.time[:0], group: rows.group[:0], value: rows.value[:0], pos: rows.pos[:0], file: rows.file[:0]}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// eachChunk reads the named columns of file i chunk by chunk, calls fn on
// each chunk of n rows and counts the rows against the limits, then closes
// the file. With emit it also sends the batch after each chunk (the rows of
// two separate files are not paired, so nothing waits for the other file).
func (s *scan) eachChunk(i int, names []string, kinds []colKind, dicts []*labels, emit bool, fn func(tr tableReader, ch *chunk, n int) error) error {
	tr, reqs, err := s.request(i, names, kinds, dicts...)
	if err != nil {
		return err
	}
	ch := newChunk(tr, reqs, s.size)
	for {
		n, err := tr.next(ch)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		if err := s.ctx.Err(); err != nil {
			return err
		}
		if err := fn(tr, ch, n); err != nil {
			return err
		}
		if err := s.countRows(i, n); err != nil {
			return err
		}
		if emit {
			if err := s.emit(); err != nil {
				return err
			}
		}
	}
	s.closeFile(i)
	return nil
}

// orderTimes ranks time labels: numerically when every label is a number,
// else in order of first appearance.
func (s *scan) orderTimes(t *labels, role string) []int32 {
	n := len(t.names)
	vals := make([]float64, n)
	numeric := true
	for i, name := range t.names {
		v, err := strconv.ParseFloat(strings.TrimSpace(name), 64)
		if err != nil || math.IsNaN(v) {
			numeric = false
			break
		}
		vals[i] = v
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	if numeric {
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(vals[a], vals[b]) })
	}
	rank := make([]int32, n)
	for r, c := range order {
		rank[c] = int32(r)
	}
	shown := make([]string, 0, min(n, 10))
	for _, c := range order[:min(n, 10)] {
		shown = append(shown, t.names[c])
	}
	more := ""
	if n > 10 {
		more = ", …"
	}
	how := "in order of first appearance (not all are numbers)"
	if numeric {
		how = "numerically"
	}
	s.note("%d values of %s %q, ordered %s: %s%s", n, role, s.plan.roles[role], how, strings.Join(shown, ", "), more)
	return rank
}

// findLabel returns the code of the label the user named with --from or
// --to, comparing numbers by value ("1" matches "1.0").
func findLabel(t *labels, name string) int32 {
	if c, ok := t.codes[name]; ok {
		return c
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(name), 64)
	if err != nil {
		return -1
	}
	for i, n := range t.names {
		if w, err := strconv.ParseFloat(strings.TrimSpace(n), 64); err == nil && w == v {
			return int32(i)
		}
	}
	return -1
}

func labelList(t *labels, rank []int32) string {
	order := make([]string, len(t.names))
	for c, r := range rank {
		order[r] = t.names[c]
	}
	if len(order) > 10 {
		order = append(order[:10], "…")
	}
	return strings.Join(order, ", ")
}

func (s *scan) runLong() error {
	limit := s.opt.pivotRows
	if limit == 0 {
		limit = pivotRowsInMemory
	}
	est, err := s.estimateRows()
	if err != nil {
		return err
	}
	if est > limit {
		return s.runLongPartitioned(est, limit)
	}
	ids, times := newLabels(), newLabels()
	rows, err := s.collect([]string{"id", "time"}, []*labels{ids, times}, nil)
	if err != nil {
		return err
	}
	pl, err := s.pairingOf(times)
	if err != nil {
		return err
	}
	idx := pl.sortRows(rows)
	if a, b, dup := pl.firstDuplicate(rows, idx); dup {
		return s.duplicateError(ids.names[rows.id[b]], times, rows, a, b)
	}
	hasGroup := s.plan.roles["group"] != ""
	unmatched, err := pl.pairs(rows, idx, s.opt.Consecutive, func(_ []int32, pairs [][2]int32) error {
		for _, p := range pairs {
			a, b := p[0], p[1]
			if err := s.addLong(rows.value[a], rows.value[b], groupAt(rows.group, int(a)), hasGroup, rows.id[a], pl.rank[rows.time[a]]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.finishLong(unmatched, int64(len(ids.names)))
}

// pairing says which times of a long table pair: from → to, or every two
// consecutive times; rank orders the time codes.
type pairing struct {
	rank     []int32
	K        int32
	from, to int32
}

// pairingOf orders the times read and resolves --from and --to (or
// --consecutive, or the only two times), noting the choice.
func (s *scan) pairingOf(times *labels) (*pairing, error) {
	r := s.plan.roles
	rank := s.orderTimes(times, "time")
	pl := &pairing{rank: rank, K: int32(len(times.names)), from: -1, to: -1}
	switch {
	case s.opt.From != "":
		for k, name := range []string{s.opt.From, s.opt.To} {
			c := findLabel(times, name)
			if c < 0 {
				return nil, fileError(s.paths[0], r["time"], "no rows at %s %q; its values are: %s", r["time"], name, labelList(times, rank))
			}
			if k == 0 {
				pl.from = rank[c]
			} else {
				pl.to = rank[c]
			}
		}
		if pl.from == pl.to {
			return nil, fileError("", "", "--from and --to name the same time %q", s.opt.From)
		}
		s.note("pairs: %s %s → %s", r["time"], s.opt.From, s.opt.To)
	case s.opt.Consecutive:
		s.note("pairs: every two consecutive values of %s", r["time"])
		for k := int32(0); k+1 < pl.K; k++ {
			s.sum.StepNames = append(s.sum.StepNames, times.names[indexOfRank(rank, k)]+"→"+times.names[indexOfRank(rank, k+1)])
		}
		if s.opt.StepGroups {
			// The steps are the groups, coded by their rank.
			s.groups = newLabels()
			for _, name := range s.sum.StepNames {
				s.groups.code([]byte(name))
			}
		}
	case pl.K == 2:
		pl.from, pl.to = 0, 1
		s.note("pairs: %s %s → %s (its only two values)", r["time"], times.names[indexOfRank(rank, 0)], times.names[indexOfRank(rank, 1)])
	default:
		return nil, fileError(s.paths[0], r["time"], "%d distinct values of %s (%s): choose two with --from and --to, or pair consecutive ones with --consecutive", pl.K, r["time"], labelList(times, rank))
	}
	return pl, nil
}

// sortRows orders the rows by id, then time rank. The sort is stable so
// duplicates keep file order and the error can name the later row.
func (pl *pairing) sortRows(rows *longRows) []int32 {
	idx := make([]int32, len(rows.value))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		if c := cmp.Compare(rows.id[a], rows.id[b]); c != 0 {
			return c
		}
		return cmp.Compare(pl.rank[rows.time[a]], pl.rank[rows.time[b]])
	})
	return idx
}

// firstDuplicate returns the first two rows, in sorted order, of one id at
// one time.
func (pl *pairing) firstDuplicate(rows *longRows, idx []int32) (a, b int32, dup bool) {
	for k := 1; k < len(idx); k++ {
		a, b := idx[k-1], idx[k]
		if rows.id[a] == rows.id[b] && rows.time[a] == rows.time[b] {
			return a, b, true
		}
	}
	return 0, 0, false
}

// duplicateError names the second row b of an id at the time of row a.
func (s *scan) duplicateError(id string, times *labels, rows *longRows, a, b int32) error {
	r := s.plan.roles
	first := s.readers[rows.file[a]].locate(rows.pos[a], "", "")
	second := s.readers[rows.file[b]]
	return second.locate(rows.pos[b], r["time"], "%s %q has a second row at %s %q (the first is at %s)", r["id"], id, r["time"], times.names[rows.time[b]], whereText(first, s.paths[rows.file[b]]))
}

// pairs walks the sorted rows id by id and calls each with the id's rows
// and the pairs (two rows) they form, in time order, and returns how many
// rows lack their partner.
func (pl *pairing) pairs(rows *longRows, idx []int32, consecutive bool, each func(run []int32, pairs [][2]int32) error) (int64, error) {
	var unmatched int64
	var pairs [][2]int32
	n := len(idx)
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && rows.id[idx[hi]] == rows.id[idx[lo]] {
			hi++
		}
		run := idx[lo:hi]
		pairs = pairs[:0]
		if consecutive {
			for k, a := range run {
				ra := pl.rank[rows.time[a]]
				if k+1 < len(run) && pl.rank[rows.time[run[k+1]]] == ra+1 {
					pairs = append(pairs, [2]int32{a, run[k+1]})
				} else if ra+1 < pl.K {
					unmatched++
				}
				if ra > 0 && (k == 0 || pl.rank[rows.time[run[k-1]]] != ra-1) {
					unmatched++
				}
			}
		} else {
			ia, ib := int32(-1), int32(-1)
			for _, a := range run {
				switch pl.rank[rows.time[a]] {
				case pl.from:
					ia = a
				case pl.to:
					ib = a
				}
			}
			switch {
			case ia >= 0 && ib >= 0:
				pairs = append(pairs, [2]int32{ia, ib})
			case ia >= 0 || ib >= 0:
				unmatched++
			}
		}
		if err := each(run, pairs); err != nil {
			return 0, err
		}
		lo = hi
	}
	return unmatched, nil
}

// addLong adds the pair (x, y) of synapse id at time rank step to the
// batch, sending the batch when full.
func (s *scan) addLong(x, y float64, g int32, hasGroup bool, id, step int32) error {
	if s.opt.StepGroups {
		g, hasGroup = step, true
	}
	if s.pair(x, y, g, hasGroup) && s.opt.Consecutive {
		s.batch.Synapse = append(s.batch.Synapse, id)
		s.batch.Step = append(s.batch.Step, step)
	}
	if len(s.batch.Before) >= s.size {
		return s.emit()
	}
	return nil
}

// finishLong notes the unmatched rows and the number of ids, and sends the
// last batch.
func (s *scan) finishLong(unmatched, ids int64) error {
	r := s.plan.roles
	if unmatched > 0 {
		s.sum.Excluded[ReasonUnmatched] += unmatched
		s.note("%d pairs are unmatched: the %s has a row at one of the two times but not the other", unmatched, r["id"])
	}
	s.note("%d distinct values of %s", ids, r["id"])
	return s.emit()
}

func indexOfRank(rank []int32, r int32) int {
	for c, x := range rank {
		if x == r {
			return c
		}
	}
	return -1
}

// whereText is the location part of an error, for citing another row in
// an error about file: its own file is named when it is another.
func whereText(e *Error, file string) string {
	other := e.File
	e.File, e.Msg = "", ""
	w := strings.TrimSuffix(e.Error(), ": ")
	if other != file {
		w += " of " + other
	}
	return w
}

func (s *scan) runCondition() error {
	conds := newLabels()
	rows, err := s.collect([]string{"condition"}, []*labels{conds}, nil)
	if err != nil {
		return err
	}
	r := s.plan.roles
	from, to := int32(-1), int32(-1)
	switch {
	case s.opt.From != "":
		for k, name := range []string{s.opt.From, s.opt.To} {
			c := findLabel(conds, name)
			if c < 0 {
				return fileError(s.paths[0], r["condition"], "no rows with %s %q; its values are: %s", r["condition"], name, strings.Join(conds.names, ", "))
			}
			if k == 0 {
				from = c
			} else {
				to = c
			}
		}
	case len(conds.names) == 2:
		from, to = 0, 1
		for _, pn := range pairNames {
			a, b := -1, -1
			for i, n := range conds.names {
				if strings.EqualFold(n, pn[0]) {
					a = i
				} else if strings.EqualFold(n, pn[1]) {
					b = i
				}
			}
			if a >= 0 && b >= 0 {
				from, to = int32(a), int32(b)
				break
			}
		}
	default:
		return fileError(s.paths[0], r["condition"], "%d distinct values of %s (%s): choose the before and after ones with --from and --to", len(conds.names), r["condition"], strings.Join(conds.names, ", "))
	}
	s.note("unpaired: %s %q is the before sample, %q the after sample", r["condition"], conds.names[from], conds.names[to])
	hasGroup := r["group"] != ""
	var other int64
	b := &s.batch
	for i, c := range rows.time {
		if c != from && c != to {
			other++
			continue
		}
		x := rows.value[i]
		if !s.value(x) {
			continue
		}
		if c == from {
			b.Before = append(b.Before, x)
			if hasGroup {
				b.Group = append(b.Group, rows.group[i])
			}
		} else {
			b.After = append(b.After, x)
			if hasGroup {
				b.GroupAfter = append(b.GroupAfter, rows.group[i])
			}
		}
		if len(b.Before)+len(b.After) >= s.size {
			if err := s.emit(); err != nil {
				return err
			}
		}
	}
	if other > 0 {
		s.note("%d rows with other values of %s are not used", other, r["condition"])
	}
	return s.emit()
}

// finish completes the summary once every row is read.
func (s *scan) finish() {
	for k, n := range map[string]int64{ReasonMissing: s.nMissing, ReasonNonFinite: s.nNonFinite, ReasonZero: s.nZeroExcluded} {
		if n > 0 {
			s.sum.Excluded[k] += n
		}
	}
	for k, n := range map[string]int64{CountZero: s.nZero, CountNegative: s.nNegative, CountSignFlip: s.nSignFlip} {
		if n > 0 {
			s.sum.Counts[k] += n
		}
	}
	s.sum.GroupNames = slices.Clone(s.groups.names)
	if s.opt.StepGroups && s.plan.shape == ShapePaired {
		s.sum.Roles = maps.Clone(s.sum.Roles)
		s.sum.Roles["group"] = "step"
	} else if s.plan.roles["group"] == "" {
		s.sum.GroupNames = nil
	}
	if len(s.paths) > 0 { // FromSlices writes its own note
		s.sum.Notes = append(s.sum.Notes, ReadNote(s.sum.Rows, len(s.paths)))
	}
}

// ReadNote is the last note of a scan: how many rows were read from how
// many files (streaming readers merging scans of several files restate it
// for the total).
func ReadNote(rows int64, files int) string {
	return fmt.Sprintf("read %d rows from %d file(s)", rows, files)
}

// Peek says what Scan would read from the files without reading their rows:
// the format, the analysis shape and the role of each column, decided from
// the headers (and, for CSV, the first lines). Counts and exclusions are
// empty. A caller uses it to choose how to read a table before reading it.
func Peek(paths []string, opt Options) (*Summary, error) {
	s, err := prepared(context.Background(), paths, opt)
	if err != nil {
		return nil, err
	}
	s.closeAll()
	return &s.sum, nil
}

// prepared is a scan of paths that has read the headers and planned the
// roles and shape, without reading rows; the caller closes it (closeAll).
func prepared(ctx context.Context, paths []string, opt Options) (*scan, error) {
	if err := checkOptions(paths, opt); err != nil {
		return nil, err
	}
	s := &scan{ctx: ctx, paths: paths, opt: opt, groups: newLabels(), size: DefaultBatchSize}
	if err := s.prepare(); err != nil {
		s.closeAll()
		return nil, err
	}
	return s, nil
}

// UnreadIDNote is the note of a streamed wide table whose synapse id
// column is not read; IsUnreadIDNote recognises it.
func UnreadIDNote(id string) string {
	return unreadIDPrefix + strconv.Quote(id) + unreadIDSuffix
}

// IsUnreadIDNote reports whether a note is an UnreadIDNote.
func IsUnreadIDNote(note string) bool {
	return strings.HasPrefix(note, unreadIDPrefix) && strings.HasSuffix(note, unreadIDSuffix)
}

const (
	unreadIDPrefix = "the synapse id column "
	unreadIDSuffix = " is not read when streaming: every pair counts as an independent synapse (read the table into memory, without --stream, to resample and sum the pairs of a repeated id together)"
)
