package main

import (
	"fmt"
	"io"
	"regexp"
	"text/tabwriter"

	"github.com/syngeom/syngeom/checkpoint"
	"github.com/syngeom/syngeom/report"
)

// tensorInfo is one tensor as `syngeom inspect` lists it.
type tensorInfo struct {
	Name  string  `json:"name"`
	DType string  `json:"dtype"`
	Shape []int64 `json:"shape"`
	Count int64   `json:"count"`
	// With two checkpoints: the pairs, or why the tensor is not paired.
	Pairs       *int64 `json:"pairs,omitempty"`
	SignChanges *int64 `json:"sign_changes,omitempty"`
	Unchanged   *int64 `json:"unchanged,omitempty"`
	NonFinite   *int64 `json:"non_finite,omitempty"`
	Note        string `json:"note,omitempty"`
}

// checkpointInspection is the JSON of `syngeom inspect` on checkpoints.
type checkpointInspection struct {
	Files   []string     `json:"files"`
	Formats []string     `json:"formats"`
	Tensors []tensorInfo `json:"tensors"`
	// OnlyAfter lists the tensors of the second checkpoint absent from the
	// first (those only in the first are in Tensors with a note).
	OnlyAfter []string `json:"only_after,omitempty"`
}

// runCheckpointInspect lists the tensors of one checkpoint, or of two with
// how many pairs of each tensor change sign or stay unchanged (reading
// the values tensor by tensor).
func runCheckpointInspect(env *runEnv, args []string, f *checkpointFlags, jsonPath string) error {
	if len(args) > 2 {
		return usagef("inspect lists one checkpoint or compares two, not %d", len(args))
	}
	var re *regexp.Regexp
	if f.tensors != "" {
		var err error
		if re, err = regexp.Compile(f.tensors); err != nil {
			return usagef("--tensors: %v", err)
		}
	}
	var cks []*checkpoint.Checkpoint
	defer func() {
		for _, c := range cks {
			c.Close()
		}
	}()
	out := &checkpointInspection{Files: args}
	for _, a := range args {
		c, err := checkpoint.Open(a)
		if err != nil {
			return err
		}
		cks = append(cks, c)
		out.Formats = append(out.Formats, c.Format)
	}
	var after map[string]*checkpoint.Tensor
	if len(cks) == 2 {
		after = map[string]*checkpoint.Tensor{}
		for _, t := range cks[1].Tensors {
			after[t.Name] = t
		}
	}
	plan := &checkpoint.Plan{}
	rowOf := map[int]int{} // pair index → row
	inFirst := map[string]bool{}
	for _, t := range cks[0].Tensors {
		inFirst[t.Name] = true
		if re != nil && !re.MatchString(t.Name) {
			continue
		}
		row := tensorInfo{Name: t.Name, DType: string(t.DType), Shape: t.Shape, Count: t.Count, Note: t.Unreadable}
		if after != nil && row.Note == "" {
			a := after[t.Name]
			switch {
			case a == nil:
				row.Note = "only in " + cks[0].Path
			case a.Unreadable != "":
				row.Note = "in " + cks[1].Path + ": " + a.Unreadable
			case a.ShapeString() != t.ShapeString():
				row.Note = fmt.Sprintf("shape %s in %s", a.ShapeString(), cks[1].Path)
			default:
				if a.DType != t.DType {
					row.DType += "→" + string(a.DType)
				}
				rowOf[len(plan.Pairs)] = len(out.Tensors)
				plan.Pairs = append(plan.Pairs, checkpoint.Pair{Name: t.Name, Before: t, After: a})
			}
		}
		out.Tensors = append(out.Tensors, row)
	}
	if after != nil {
		for _, t := range cks[1].Tensors {
			if !inFirst[t.Name] && (re == nil || re.MatchString(t.Name)) {
				out.OnlyAfter = append(out.OnlyAfter, t.Name)
			}
		}
		stats, err := plan.Read(func(int, []float64, []float64) error { return nil })
		if err != nil {
			return err
		}
		for i, st := range stats {
			r := &out.Tensors[rowOf[i]]
			p, s, u, n := st.Pairs, st.SignChanges, st.Unchanged, st.NonFinite
			r.Pairs, r.SignChanges, r.Unchanged, r.NonFinite = &p, &s, &u, &n
		}
	}
	return emitResult(env, jsonPath, out, func(w io.Writer) { printCheckpointInspection(w, out) })
}

func printCheckpointInspection(w io.Writer, in *checkpointInspection) {
	for i, f := range in.Files {
		fmt.Fprintf(w, "%s: %s\n", f, in.Formats[i])
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "tensor\tdtype\tshape\tcount"
	if len(in.Files) == 2 {
		head += "\tsign changes\tunchanged\tnon-finite"
	}
	fmt.Fprintln(tw, head+"\tnote")
	for _, t := range in.Tensors {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d", t.Name, t.DType, report.ShapeText(t.Shape), t.Count)
		if len(in.Files) == 2 {
			fmt.Fprintf(tw, "\t%s\t%s\t%s", optCount(t.SignChanges), optCount(t.Unchanged), optCount(t.NonFinite))
		}
		fmt.Fprintf(tw, "\t%s\n", t.Note)
	}
	tw.Flush()
	if len(in.OnlyAfter) > 0 {
		fmt.Fprintf(w, "only in %s: %s\n", in.Files[1], report.ListOrNone(in.OnlyAfter))
	}
}

func optCount(v *int64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprint(*v)
}
