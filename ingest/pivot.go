package ingest

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/syngeom/syngeom/internal/signalsafe"
	"strconv"
)

// pivotRowsInMemory is the largest long table, in rows as estimateRows
// counts them, pivoted in memory: about 24 bytes a row plus a dictionary
// of its ids. A larger one is partitioned by id through temporary files,
// each partition pivoted in memory in turn, and the partitions' pairs are
// merged back into the order of the in-memory pivot, so the batches are
// the same either way.
const pivotRowsInMemory = 1 << 20

// maxPartitions bounds the temporary files of a pivot open at once; beyond
// maxPartitions × pivotRowsInMemory rows (about 2.7·10^8) the partitions
// grow past pivotRowsInMemory rows.
const maxPartitions = 256

// estimateRows is an upper estimate of the rows of all the files: Parquet
// declares them, an uncompressed CSV row takes at least two bytes, and a
// compressed CSV is taken to compress at most 4 to 1.
func (s *scan) estimateRows() (int64, error) {
	var est int64
	for i, path := range s.paths {
		tr, err := s.reader(i)
		if err != nil {
			return 0, err
		}
		n := tr.maxRows()
		if n < 0 {
			st, err := os.Stat(path)
			if err != nil {
				return 0, fileError(path, "", "%v", err)
			}
			n = st.Size() * 2
		}
		est += n
	}
	return est, nil
}

// A row of a long table as spilled to its partition: its place in the
// input (seq counts the rows of all files in order), its value, codes and
// location, then the id's text.
const spillRowBytes = 8 + 8 + 8 + 4 + 4 + 4

// A pair as the pivot of a partition writes it, after a header per id
// (first row's seq, number of pairs): the two values, group and time rank.
const (
	spillHeaderBytes = 8 + 4
	spillPairBytes   = 8 + 8 + 4 + 4
)

// runLongPartitioned pivots a long table of about est rows through
// temporary files, in partitions of about limit rows each.
func (s *scan) runLongPartitioned(est, limit int64) error {
	nparts := int(min(max(2, (est+limit-1)/limit), maxPartitions))
	dir, err := signalsafe.MkdirTemp("", "syngeom-pivot-")
	if err != nil {
		return fmt.Errorf("pivoting a long table through temporary files: %w", err)
	}
	defer signalsafe.Remove(dir)
	spillErr := func(err error) error {
		return fmt.Errorf("pivoting a long table through temporary files in %s: %w", dir, err)
	}

	// Spill every row to the partition of its id.
	rowFiles := make([]string, nparts)
	writers := make([]*spillWriter, nparts)
	defer func() {
		for _, w := range writers {
			if w != nil {
				w.f.Close()
			}
		}
	}()
	for p := range writers {
		rowFiles[p] = filepath.Join(dir, "rows-"+strconv.Itoa(p))
		if writers[p], err = newSpillWriter(rowFiles[p]); err != nil {
			return spillErr(err)
		}
	}
	ids, times := newTransientLabels(), newLabels()
	counts := make([]int, nparts) // rows in each partition
	var seq int64
	var rec []byte
	_, err = s.collect([]string{"id", "time"}, []*labels{ids, times}, func(rows *longRows) error {
		for j, c := range rows.id {
			id := ids.bytes(c)
			rec = binary.LittleEndian.AppendUint64(rec[:0], uint64(seq))
			rec = binary.LittleEndian.AppendUint64(rec, uint64(rows.pos[j]))
			rec = binary.LittleEndian.AppendUint64(rec, math.Float64bits(rows.value[j]))
			rec = binary.LittleEndian.AppendUint32(rec, uint32(rows.time[j]))
			rec = binary.LittleEndian.AppendUint32(rec, uint32(groupAt(rows.group, j)))
			rec = binary.LittleEndian.AppendUint32(rec, uint32(rows.file[j]))
			rec = binary.AppendUvarint(rec, uint64(len(id)))
			rec = append(rec, id...)
			p := fnv1a(id) % uint64(nparts)
			if _, err := writers[p].w.Write(rec); err != nil {
				return spillErr(err)
			}
			counts[p]++
			seq++
		}
		ids.reset()
		return nil
	})
	if err != nil {
		return err
	}
	for _, w := range writers {
		if err := w.finish(nil); err != nil {
			return spillErr(err)
		}
	}
	pl, err := s.pairingOf(times)
	if err != nil {
		return err
	}

	// Pivot each partition in memory. An id with two rows at one time is
	// reported as the in-memory pivot would: the one that appears first.
	hasGroup := s.plan.roles["group"] != ""
	pairFiles := make([]string, nparts)
	var unmatched, distinct int64
	var dupErr error
	dupSeq := int64(math.MaxInt64)
	for p := range nparts {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		rows, firstSeq, names, err := readSpilledRows(rowFiles[p], counts[p])
		if err != nil {
			return spillErr(err)
		}
		os.Remove(rowFiles[p])
		idx := pl.sortRows(rows)
		if a, b, dup := pl.firstDuplicate(rows, idx); dup {
			if first := firstSeq[rows.id[a]]; first < dupSeq {
				dupSeq, dupErr = first, s.duplicateError(names[rows.id[b]], times, rows, a, b)
			}
			continue
		}
		if dupErr != nil {
			continue // only a duplicate that appears sooner matters now
		}
		pairFiles[p] = filepath.Join(dir, "pairs-"+strconv.Itoa(p))
		w, err := newSpillWriter(pairFiles[p])
		if err != nil {
			return spillErr(err)
		}
		u, err := pl.pairs(rows, idx, s.opt.Consecutive, func(run []int32, pairs [][2]int32) error {
			rec = binary.LittleEndian.AppendUint64(rec[:0], uint64(firstSeq[rows.id[run[0]]]))
			rec = binary.LittleEndian.AppendUint32(rec, uint32(len(pairs)))
			for _, pr := range pairs {
				a, b := pr[0], pr[1]
				rec = binary.LittleEndian.AppendUint64(rec, math.Float64bits(rows.value[a]))
				rec = binary.LittleEndian.AppendUint64(rec, math.Float64bits(rows.value[b]))
				rec = binary.LittleEndian.AppendUint32(rec, uint32(groupAt(rows.group, int(a))))
				rec = binary.LittleEndian.AppendUint32(rec, uint32(pl.rank[rows.time[a]]))
			}
			_, err := w.w.Write(rec)
			return err
		})
		if err := w.finish(err); err != nil {
			return spillErr(err)
		}
		unmatched += u
		distinct += int64(len(firstSeq))
	}
	if dupErr != nil {
		return dupErr
	}
	if err := s.mergePairs(pairFiles, hasGroup); err != nil {
		return err
	}
	return s.finishLong(unmatched, distinct)
}

// groupAt is the group code of row j, 0 without groups.
func groupAt(group []int32, j int) int32 {
	if group == nil {
		return 0
	}
	return group[j]
}

// fnv1a is the 64-bit FNV-1a hash of b: a fixed hash, so partitions are
// the same on every run.
func fnv1a(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

type spillWriter struct {
	f *os.File
	w *bufio.Writer
}

func newSpillWriter(path string) (*spillWriter, error) {
	f, err := signalsafe.Create(path)
	if err != nil {
		return nil, err
	}
	return &spillWriter{f: f, w: bufio.NewWriterSize(f, 32<<10)}, nil
}

// finish ends the writing that err (nil: none) stopped or not: it
// flushes the buffer unless err, closes the file and returns the first
// error. It syncs nothing: the file is read back by this process only.
func (w *spillWriter) finish(err error) error {
	if err == nil {
		err = w.w.Flush()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readSpilledRows reads a partition's n rows back, coding its ids in order
// of first appearance: firstSeq[c] is the seq of id c's first row and
// names[c] its text.
func readSpilledRows(path string, n int) (rows *longRows, firstSeq []int64, names []string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	rows = &longRows{id: make([]int32, 0, n), time: make([]int32, 0, n), group: make([]int32, 0, n),
		value: make([]float64, 0, n), pos: make([]int64, 0, n), file: make([]int32, 0, n)}
	codes := make(map[string]int32, n/2)
	var fixed [spillRowBytes]byte
	var id []byte
	for {
		if _, err := io.ReadFull(r, fixed[:]); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, nil, nil, err
		}
		size, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, nil, nil, err
		}
		if size > math.MaxInt32 {
			return nil, nil, nil, fmt.Errorf("corrupt temporary file %s", path)
		}
		if uint64(cap(id)) < size {
			id = make([]byte, size)
		}
		id = id[:size]
		if _, err := io.ReadFull(r, id); err != nil {
			return nil, nil, nil, err
		}
		le := binary.LittleEndian
		seq := int64(le.Uint64(fixed[0:]))
		c, ok := codes[string(id)]
		if !ok {
			c = int32(len(names))
			name := string(id)
			codes[name] = c
			names = append(names, name)
			firstSeq = append(firstSeq, seq)
		}
		g := int32(le.Uint32(fixed[28:]))
		rows.id = append(rows.id, c)
		rows.pos = append(rows.pos, int64(le.Uint64(fixed[8:])))
		rows.value = append(rows.value, math.Float64frombits(le.Uint64(fixed[16:])))
		rows.time = append(rows.time, int32(le.Uint32(fixed[24:])))
		rows.group = append(rows.group, g)
		rows.file = append(rows.file, int32(le.Uint32(fixed[32:])))
	}
	return rows, firstSeq, names, nil
}

// mergePairs reads the partitions' pairs back in the order of the ids'
// first rows, the order of the in-memory pivot, and adds them to the
// batch. Each id's header counts, pairs or not, so the synapse codes are
// those of the in-memory pivot too.
func (s *scan) mergePairs(files []string, hasGroup bool) error {
	var h pairHeads
	defer func() {
		for _, hd := range h {
			hd.f.Close()
		}
	}()
	for _, path := range files {
		if path == "" {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		hd := &pairHead{f: f, r: bufio.NewReaderSize(f, 32<<10)}
		if ok, err := hd.next(); err != nil {
			f.Close()
			return err
		} else if !ok {
			f.Close()
			continue
		}
		h = append(h, hd)
	}
	heap.Init(&h)
	var rec [spillPairBytes]byte
	le := binary.LittleEndian
	for code := int32(0); len(h) > 0; code++ {
		if code%(1<<16) == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		hd := h[0]
		for range hd.pairs {
			if _, err := io.ReadFull(hd.r, rec[:]); err != nil {
				return err
			}
			x := math.Float64frombits(le.Uint64(rec[0:]))
			y := math.Float64frombits(le.Uint64(rec[8:]))
			if err := s.addLong(x, y, int32(le.Uint32(rec[16:])), hasGroup, code, int32(le.Uint32(rec[20:]))); err != nil {
				return err
			}
		}
		ok, err := hd.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			hd.f.Close()
			heap.Pop(&h)
		}
	}
	return nil
}

// pairHead is the next id of a partition's pairs.
type pairHead struct {
	f        *os.File
	r        *bufio.Reader
	firstSeq int64
	pairs    uint32
}

// next reads the next id's header; false at the end of the file.
func (hd *pairHead) next() (bool, error) {
	var b [spillHeaderBytes]byte
	if _, err := io.ReadFull(hd.r, b[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		return false, err
	}
	hd.firstSeq = int64(binary.LittleEndian.Uint64(b[0:]))
	hd.pairs = binary.LittleEndian.Uint32(b[8:])
	return true, nil
}

// pairHeads is a min-heap of partitions by their next id's first row.
type pairHeads []*pairHead

func (h pairHeads) Len() int           { return len(h) }
func (h pairHeads) Less(i, j int) bool { return h[i].firstSeq < h[j].firstSeq }
func (h pairHeads) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *pairHeads) Push(x any)        { *h = append(*h, x.(*pairHead)) }
func (h *pairHeads) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
