package ingest

import (
	"context"
	"errors"
	"slices"
)

// MaxDistinctIDRows is the most rows whose ids DistinctIDs checks: it keeps
// 8 bytes a row.
const MaxDistinctIDRows = 1 << 27

// DistinctIDs returns the summary Peek gives of the files and whether the
// synapse ids of a wide paired table are all different, so that its pairs
// are independent and it can be streamed with Options.DistinctIDs. It
// reads the headers once and then only the id column, and keeps a 64-bit
// hash of each id; two different ids with the same hash (about n²/2^65 for
// n rows) count as a repeat, which only sends the caller to the exact
// in-memory reader. It answers false for another shape, without an id
// column, or beyond MaxDistinctIDRows rows. Rows that the analysis
// excludes (a missing weight) count too, so an id repeated on such a row
// also answers false, where the in-memory reader, which looks at the kept
// pairs only, would find the ids distinct: the caller then reads into
// memory, as without this check.
func DistinctIDs(ctx context.Context, paths []string, opt Options) (*Summary, bool, error) {
	s, err := prepared(ctx, paths, opt)
	if err != nil {
		return nil, false, err
	}
	defer s.closeAll()
	peek := s.sum // as Peek gives it, before the ids are read
	sum := &peek
	id := s.plan.roles["id"]
	if id == "" || s.plan.layout != layoutWide || s.plan.shape != ShapePaired {
		return sum, false, nil
	}
	ids := newTransientLabels()
	var hashes []uint64
	for i := range paths {
		first := true
		err := s.eachChunk(i, []string{id}, []colKind{kindLabel}, []*labels{ids}, false, func(tr tableReader, ch *chunk, n int) error {
			if first {
				// Room for a Parquet file's rows at once (its metadata
				// counts them; a CSV file's bound is loose): growing by
				// doubling cost more than the hashing.
				first = false
				if _, exact := tr.(*parquetReader); exact && tr.maxRows() > 0 {
					m := tr.maxRows()
					hashes = slices.Grow(hashes, int(min(m, int64(MaxDistinctIDRows-len(hashes)))))
				}
			}
			if len(hashes)+n > MaxDistinctIDRows {
				return errTooManyIDs
			}
			for _, c := range ch.code[0][:n] {
				hashes = append(hashes, fnv1a(ids.bytes(c)))
			}
			ids.reset()
			return nil
		})
		if err == errTooManyIDs {
			return sum, false, nil
		}
		if err != nil {
			return nil, false, err
		}
	}
	slices.Sort(hashes)
	for i := 1; i < len(hashes); i++ {
		if hashes[i] == hashes[i-1] {
			return sum, false, nil
		}
	}
	return sum, true, nil
}

var errTooManyIDs = errors.New("ingest: more ids than DistinctIDs checks")
