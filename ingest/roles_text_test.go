package ingest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Neuron-name columns called pre and post are text, never weights: next
// to numeric before and after columns the table is not ambiguous, in CSV
// and in Parquet.
func TestTextColumnsAreNotWeights(t *testing.T) {
	csvPath := writeFile(t, "conn.csv", []byte("pre,post,before,after\nAVAL,AVAR,1.5,2\nRIAL,RIAR,0.7,0.9\n,AVAR,3,2.5\n"))
	pqPath := filepath.Join(t.TempDir(), "conn.parquet")
	sc := arrow.NewSchema([]arrow.Field{{Name: "pre", Type: arrow.BinaryTypes.String}, {Name: "post", Type: arrow.BinaryTypes.String},
		{Name: "before", Type: arrow.PrimitiveTypes.Float64}, {Name: "after", Type: arrow.PrimitiveTypes.Float64}}, nil)
	writeTestParquet(t, pqPath, sc, 3, func(b *array.RecordBuilder, start, count int) {
		b.Field(0).(*array.StringBuilder).AppendValues([]string{"AVAL", "RIAL", "AVAL"}, nil)
		b.Field(1).(*array.StringBuilder).AppendValues([]string{"AVAR", "RIAR", "AVAR"}, nil)
		b.Field(2).(*array.Float64Builder).AppendValues([]float64{1.5, 0.7, 3}, nil)
		b.Field(3).(*array.Float64Builder).AppendValues([]float64{2, 0.9, 2.5}, nil)
	})
	for _, p := range []string{csvPath, pqPath} {
		d := mustLoad(t, Options{}, p)
		if d.Shape != ShapePaired || d.Roles["before"] != "before" || d.Roles["after"] != "after" ||
			!slices.Equal(d.Before, []float64{1.5, 0.7, 3}) {
			t.Errorf("%s: %s %v %v", filepath.Base(p), d.Shape, d.Roles, d.Before)
		}
		if p == csvPath && !strings.Contains(strings.Join(d.Notes, "\n"), `columns "pre" and "post" hold text`) {
			t.Errorf("%s: notes %q do not say why pre/post were passed over", filepath.Base(p), d.Notes)
		}
	}
	// Two numeric pairs stay ambiguous.
	_, err := Load([]string{writeFile(t, "two.csv", []byte("pre,post,before,after\n1,2,3,4\n"))}, Options{})
	if err == nil || !strings.Contains(err.Error(), "several column pairs") {
		t.Errorf("two numeric pairs: %v", err)
	}
	// A stray word in one column of a pair is a data error, by row and
	// column, not a reason to look elsewhere.
	_, err = Load([]string{writeFile(t, "stray.csv", []byte("id,w0,w1\na,1,x\n"))}, Options{})
	var e *Error
	if !errorsAs(err, &e) || e.Column != "w1" || e.Line != 2 {
		t.Errorf("stray word: %v", err)
	}
	// A text column is never the detected value of a long table.
	d := mustLoad(t, Options{ID: "id", Time: "t"}, writeFile(t, "long.csv", []byte("id,t,w,value\na,0,x,1\na,1,y,2\n")))
	if d.Roles["value"] != "value" {
		t.Errorf("long table: value column %q", d.Roles["value"])
	}
}

// Integer dates are described as dates in inspect, without a sum.
func TestInspectDescribesDates(t *testing.T) {
	p := writeFile(t, "d.csv", []byte("synapse_id,date,session,value\ns1,20210315,1,1.5\ns1,20210318,2,1.7\ns2,20200229,1,2\ns2,20200301,2,3\n"))
	in, err := Inspect([]string{p}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range in.Columns {
		switch c.Name {
		case "date":
			if c.Sum != nil || !strings.Contains(c.Description, "integer dates (YYYYMMDD), 2020-02-29 to 2021-03-18") {
				t.Errorf("date column: sum %v, description %q", c.Sum, c.Description)
			}
		case "session", "value":
			if c.Description != "" || c.Sum == nil {
				t.Errorf("%s described as %q (sum %v)", c.Name, c.Description, c.Sum)
			}
		}
	}
	for v, want := range map[float64]bool{20210315: true, 20200229: true, 20210229: false, 20211301: false, 20210431: false,
		2021031.5: false, 19991231: true, 1.5: false, 21000101: false} {
		if isDate(v) != want {
			t.Errorf("isDate(%v) = %v", v, !want)
		}
	}
}
