package ingest

import (
	"errors"
	"strings"
	"testing"
)

// A second row of a synapse at one time is an error that names both rows;
// when the first is in another file, that file is named too (without it,
// "the first is at line 2" would point into the wrong file).
func TestDuplicateRowNamesBothFiles(t *testing.T) {
	early := writeFile(t, "early.csv", []byte("synapse_id,session,weight\nx,0,1\ny,0,2\n"))
	late := writeFile(t, "late.csv", []byte("synapse_id,session,weight\nx,1,1.5\ny,1,2.5\nx,0,3\n"))
	one := writeFile(t, "one.csv", []byte("synapse_id,session,weight\nx,0,1\ny,0,2\nx,1,1.5\ny,1,2.5\nx,0,3\n"))
	opt := Options{ID: "synapse_id", Time: "session", Value: "weight", From: "0", To: "1"}
	for _, c := range []struct {
		files []string
		want  string
	}{
		{[]string{early, late}, `late.csv: line 4, column "session": synapse_id "x" has a second row at session "0" (the first is at line 2 of ` + early + ")"},
		{[]string{one}, `one.csv: line 6, column "session": synapse_id "x" has a second row at session "0" (the first is at line 2)`},
	} {
		_, err := Load(c.files, opt)
		var e *Error
		if !errors.As(err, &e) || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("%v: %v\nwant …%s", c.files, err, c.want)
		}
	}
}
