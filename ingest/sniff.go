package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
)

// sniffRows is how many data rows after the header sniffText looks at.
const sniffRows = 200

// sniffText marks the columns of a delimited file that hold only text in
// the first rows (values that are neither numbers nor missing-value tokens,
// and not one number) as not numeric, so that detection never offers them
// as weights: a table whose neuron-name columns are called pre and post is
// not read as pre/post weights. A column of numbers with a stray word stays
// numeric, so the word is reported by row and column when it is read. It
// only peeks at what the reader has buffered after the header.
func (r *csvReader) sniffText() {
	peek, err := r.br.Peek(r.br.Buffered())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return
	}
	if len(peek) == 0 {
		return
	}
	complete := r.br.Buffered() < r.br.Size() // the buffer may hold the whole rest of the file
	if !complete {
		// Leave out a last line that may be cut.
		if i := bytes.LastIndexByte(peek, '\n'); i >= 0 {
			peek = peek[:i+1]
		}
	}
	cr := csv.NewReader(bytes.NewReader(peek))
	cr.Comma = rune(r.delim)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	numbers, words := make([]int, len(r.cols)), make([]int, len(r.cols))
	for range sniffRows {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		for i, f := range rec {
			if i >= len(r.cols) {
				break
			}
			switch v, ok := parseNumber([]byte(f)); {
			case !ok:
				words[i]++
			case v == v:
				numbers[i]++
			}
		}
	}
	for i := range r.cols {
		if words[i] > 0 && numbers[i] == 0 {
			r.cols[i].numeric = false
		}
	}
}
