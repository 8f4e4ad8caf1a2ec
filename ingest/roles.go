package ingest

import (
	"fmt"
	"strconv"
	"strings"
)

// layout is how the weights sit in the file, which decides how a scan reads it.
type layout int

const (
	layoutWide      layout = iota // before and after columns (paired, or unpaired with --unpaired)
	layoutSingle                  // one column
	layoutLong                    // id, time, value rows pivoted to pairs
	layoutCondition               // value and condition rows, no ids: two unpaired samples
	layoutTwoFiles                // one sample per file, unpaired
)

// plan is what a scan will read: the layout, the shape it produces and the
// column of each role.
type plan struct {
	layout layout
	shape  Shape
	roles  map[string]string
	notes  []string
	// two files: the column of each file
	fileColumns [2]string
}

// Common column names of the two measurements of a paired wide table, in
// the order they are tried. Matching ignores case.
var pairNames = [][2]string{
	{"before", "after"},
	{"pre", "post"},
	{"w0", "w1"},
	{"w_pre", "w_post"},
	{"w_before", "w_after"},
	{"initial", "final"},
	{"t0", "t1"},
	{"baseline", "followup"},
	{"baseline", "follow_up"},
}

// Common names of the columns of a long table.
var (
	idNames    = []string{"id", "synapse_id", "synapse", "syn_id"}
	timeNames  = []string{"time", "session", "day", "timepoint", "time_point"}
	valueNames = []string{"value", "weight", "w"}
)

// findColumn returns the index of the column called name: an exact match,
// else the one match ignoring case; -1 when there is none.
func findColumn(cols []tableColumn, name string) int {
	for i, c := range cols {
		if c.name == name {
			return i
		}
	}
	found := -1
	for i, c := range cols {
		if strings.EqualFold(c.name, name) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

func columnNames(cols []tableColumn) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names
}

// needColumn resolves a column the user named with a flag.
func needColumn(path string, cols []tableColumn, name, flag string) (string, error) {
	i := findColumn(cols, name)
	if i < 0 {
		return "", fileError(path, "", "no column %q (from --%s); the columns are: %s", name, flag, listColumns(columnNames(cols)))
	}
	return cols[i].name, nil
}

// detectOne returns the first column whose name is among names.
func detectOne(cols []tableColumn, names []string) string {
	for _, n := range names {
		if i := findColumn(cols, n); i >= 0 {
			return cols[i].name
		}
	}
	return ""
}

// checkOptions rejects contradictory options before any file is read.
func checkOptions(paths []string, opt Options) error {
	bad := func(format string, a ...any) error { return fileError("", "", format, a...) }
	switch {
	case len(paths) == 0:
		return bad("no input file")
	case opt.Zero != "" && opt.Zero != ZeroKeep && opt.Zero != ZeroMissing:
		return bad("--zero must be %q or %q, not %q", ZeroKeep, ZeroMissing, opt.Zero)
	case opt.BatchSize < 0:
		return bad("the batch size must be positive, not %d", opt.BatchSize)
	case opt.Consecutive && (opt.From != "" || opt.To != ""):
		return bad("--consecutive pairs every two consecutive times: do not combine it with --from/--to")
	case (opt.From == "") != (opt.To == ""):
		return bad("--from and --to go together: give both times to pair")
	case opt.Unpaired && len(paths) > 2:
		return bad("--unpaired takes one file (two columns, or a --condition column) or two files (one sample each), not %d", len(paths))
	case opt.Condition != "" && opt.ID != "":
		return bad("--condition is for unpaired long tables without ids; with --id, use --time and --from/--to")
	case opt.Consecutive && opt.Condition != "":
		return bad("--consecutive needs ids and times, not a --condition column")
	case opt.StepGroups && !opt.Consecutive:
		return bad("the steps are groups only with --consecutive")
	case opt.StepGroups && opt.Group != "":
		return bad("--group-by-step makes the steps the groups: do not combine it with --group")
	}
	return nil
}

// makePlan decides the layout from the options and the columns of the first
// file (and of the second, for two unpaired files).
func makePlan(paths []string, cols [][]tableColumn, opt Options) (*plan, error) {
	path := paths[0]
	c := cols[0]
	p := &plan{roles: map[string]string{}}
	note := func(format string, a ...any) { p.notes = append(p.notes, fmt.Sprintf(format, a...)) }
	if opt.Group != "" {
		g, err := needColumn(path, c, opt.Group, "group")
		if err != nil {
			return nil, err
		}
		p.roles["group"] = g
	}

	// Two files, one sample each.
	if opt.Unpaired && len(paths) == 2 {
		p.layout, p.shape = layoutTwoFiles, ShapeUnpaired
		for k := range 2 {
			want := opt.Column
			if want == "" {
				want = []string{opt.Before, opt.After}[k]
			}
			var name string
			var err error
			if want != "" {
				name, err = needColumn(paths[k], cols[k], want, "column")
			} else {
				name, err = onlyNumeric(paths[k], cols[k], p.roles["group"])
			}
			if err != nil {
				return nil, err
			}
			p.fileColumns[k] = name
		}
		p.roles["before"], p.roles["after"] = p.fileColumns[0], p.fileColumns[1]
		note("unpaired: the before sample is column %q of %s, the after sample column %q of %s", p.fileColumns[0], paths[0], p.fileColumns[1], paths[1])
		return p, nil
	}

	// Long table with a condition column and no ids: two unpaired samples.
	if opt.Condition != "" {
		cond, err := needColumn(path, c, opt.Condition, "condition")
		if err != nil {
			return nil, err
		}
		value, err := longValue(path, c, opt, note)
		if err != nil {
			return nil, err
		}
		p.layout, p.shape = layoutCondition, ShapeUnpaired
		p.roles["condition"], p.roles["value"] = cond, value
		return p, nil
	}

	flagsWide := opt.Before != "" || opt.After != ""
	// --id beside --before/--after names the synapse of each row of a wide
	// table; alone it names the id column of a long one.
	flagsLong := (opt.ID != "" && !flagsWide) || opt.Time != "" || opt.Value != "" || opt.From != "" || opt.Consecutive
	if flagsLong && flagsWide {
		return nil, fileError("", "", "--before/--after name the columns of a wide table, --id/--time/--value/--from/--to/--consecutive those of a long one: use one set")
	}

	// Wide: named by flags or detected.
	before, after := "", ""
	if flagsWide {
		if opt.Before == "" || opt.After == "" {
			return nil, fileError("", "", "give both --before and --after")
		}
		var err error
		if before, err = needColumn(path, c, opt.Before, "before"); err != nil {
			return nil, err
		}
		if after, err = needColumn(path, c, opt.After, "after"); err != nil {
			return nil, err
		}
	} else if !flagsLong && opt.Column == "" {
		var found [][2]string
		for _, pn := range pairNames {
			i, j := findColumn(c, pn[0]), findColumn(c, pn[1])
			if i < 0 || j < 0 {
				continue
			}
			if !c[i].numeric && !c[j].numeric {
				// Text (neuron names in pre/post, say) is never a weight. When
				// only one of the two is text, the pair stays, so that the
				// stray value is reported by row and column.
				note("columns %q and %q hold text, so they are not the before and after weights", c[i].name, c[j].name)
				continue
			}
			found = append(found, [2]string{c[i].name, c[j].name})
		}
		if len(found) > 1 {
			var alt []string
			for _, f := range found {
				alt = append(alt, strconv.Quote(f[0])+"/"+strconv.Quote(f[1]))
			}
			return nil, fileError(path, "", "several column pairs could be before/after (%s): choose with --before and --after", strings.Join(alt, ", "))
		}
		if len(found) == 1 {
			before, after = found[0][0], found[0][1]
			note("detected the before column %q and the after column %q by their names", before, after)
		}
	}
	if before != "" {
		if before == after {
			return nil, fileError(path, before, "the before and after columns must differ")
		}
		p.layout, p.shape = layoutWide, ShapePaired
		if opt.Unpaired {
			p.shape = ShapeUnpaired
			note("unpaired: the two columns are separate samples (--unpaired)")
		}
		p.roles["before"], p.roles["after"] = before, after
		if p.shape == ShapePaired {
			id, err := wideID(path, c, opt, p.roles)
			if err != nil {
				return nil, err
			}
			if id != "" {
				p.roles["id"] = id
				if opt.ID == "" {
					note("%s", detectedIDNote(id))
				}
			}
		}
		return p, nil
	}

	// Single sample by flag.
	if opt.Column != "" {
		if flagsLong {
			return nil, fileError("", "", "--column names a single sample; it does not combine with --id/--time/--value")
		}
		col, err := needColumn(path, c, opt.Column, "column")
		if err != nil {
			return nil, err
		}
		p.layout, p.shape = layoutSingle, ShapeSingle
		p.roles["value"] = col
		return p, nil
	}

	// Long: named by flags or detected.
	id, timeCol := opt.ID, opt.Time
	var err error
	if id != "" {
		if id, err = needColumn(path, c, id, "id"); err != nil {
			return nil, err
		}
	} else if id = detectOne(c, idNames); id != "" && (flagsLong || detectOne(c, timeNames) != "") {
		note("detected the id column %q by its name", id)
	}
	if timeCol != "" {
		if timeCol, err = needColumn(path, c, timeCol, "time"); err != nil {
			return nil, err
		}
	} else if timeCol = detectOne(c, timeNames); timeCol != "" && id != "" {
		note("detected the time column %q by its name", timeCol)
	}
	if flagsLong || (id != "" && timeCol != "") {
		if id == "" || timeCol == "" {
			return nil, fileError(path, "", "a long table needs an id column and a time column (--id, --time); the columns are: %s", listColumns(columnNames(c)))
		}
		value, err := longValue(path, c, opt, note)
		if err != nil {
			return nil, err
		}
		if id == timeCol || id == value || timeCol == value {
			return nil, fileError(path, "", "the id, time and value columns must differ (%q, %q, %q)", id, timeCol, value)
		}
		p.layout, p.shape = layoutLong, ShapePaired
		if opt.Unpaired {
			return nil, fileError("", "", "--unpaired does not apply to a long table with ids: its rows pair by id")
		}
		p.roles["id"], p.roles["time"], p.roles["value"] = id, timeCol, value
		return p, nil
	}

	// Single sample: the only numeric column.
	name, err := onlyNumeric(path, c, p.roles["group"])
	if err != nil {
		return nil, fileError(path, "", "cannot tell which columns hold the weights: name them with --before and --after (paired), --id, --time and --value (long table) or --column (one sample); the columns are: %s", listColumns(columnNames(c)))
	}
	p.layout, p.shape = layoutSingle, ShapeSingle
	p.roles["value"] = name
	note("single sample: %q is the only column that can hold weights", name)
	return p, nil
}

// wideID is the id column of a wide paired table: named by --id, or found
// by its name when no other role holds it. Rows with the same id are pairs
// of one synapse, which are not independent.
func wideID(path string, c []tableColumn, opt Options, roles map[string]string) (string, error) {
	if opt.ID != "" {
		return needColumn(path, c, opt.ID, "id")
	}
	id := detectOne(c, idNames)
	for _, r := range roles {
		if r == id {
			return "", nil
		}
	}
	return id, nil
}

// longValue finds the value column of a long table.
func longValue(path string, c []tableColumn, opt Options, note func(string, ...any)) (string, error) {
	if opt.Value != "" {
		return needColumn(path, c, opt.Value, "value")
	}
	if v := detectOne(numericColumns(c), valueNames); v != "" {
		note("detected the value column %q by its name", v)
		return v, nil
	}
	return "", fileError(path, "", "which column holds the weights? name it with --value; the columns are: %s", listColumns(columnNames(c)))
}

// numericColumns are the columns that can hold weights.
func numericColumns(c []tableColumn) []tableColumn {
	var out []tableColumn
	for _, col := range c {
		if col.numeric && !col.nested {
			out = append(out, col)
		}
	}
	return out
}

// onlyNumeric returns the one column that can hold weights: a table with a
// single column, or a single numeric column that is not named like an id,
// time or group. A CSV column counts as numeric unless its first rows hold
// text.
func onlyNumeric(path string, c []tableColumn, group string) (string, error) {
	if len(c) == 1 && !c[0].nested {
		return c[0].name, nil
	}
	var cand []string
	for _, col := range c {
		if !col.numeric || col.nested || col.name == group || isLabelName(col.name) {
			continue
		}
		cand = append(cand, col.name)
	}
	if len(cand) != 1 {
		return "", fileError(path, "", "cannot tell which column holds the weights: name it with --column; the columns are: %s", listColumns(columnNames(c)))
	}
	return cand[0], nil
}

func isLabelName(name string) bool {
	for _, list := range [][]string{idNames, timeNames, {"group", "condition", "cell_type", "animal", "mouse", "layer", "date"}} {
		for _, n := range list {
			if strings.EqualFold(n, name) {
				return true
			}
		}
	}
	return false
}

// detectedIDNote says that a wide table's id column was found by its name.
func detectedIDNote(id string) string {
	return fmt.Sprintf("detected the id column %q by its name: pairs with the same id are one synapse's, resampled together", id)
}
