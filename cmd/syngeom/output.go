package main

import (
	"encoding/json"
	"io"

	"github.com/syngeom/syngeom/internal/outfile"
	"github.com/syngeom/syngeom/report"
)

// encodeJSON writes v as indented JSON, the form of every --json output.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// emitResult writes a command's result: the JSON document to stdout for
// --json - or a name of stdout such as /dev/stdout (instead of the text),
// else the text on stdout and, with a path, the JSON to that file
// (atomically when it is a regular file).
func emitResult(env *runEnv, jsonPath string, doc any, text func(io.Writer)) error {
	jsonPath = stdoutAlias(jsonPath)
	if jsonPath == "-" {
		return encodeJSON(env.stdout, doc)
	}
	text(env.stdout)
	if jsonPath == "" {
		return nil
	}
	return writeJSONFile(jsonPath, doc)
}

// stdoutAlias returns "-" for a path that names the standard output
// (/dev/stdout, /proc/self/fd/1, or the file or pipe it is redirected to),
// so that --json /dev/stdout means --json -: the document instead of the
// text summary, not mixed with it.
func stdoutAlias(path string) string {
	if path != "" && path != "-" && outfile.IsStdout(path) {
		return "-"
	}
	return path
}

// stdoutOutputs checks the output flags of a command against the standard
// output: at most one of them may go there ("-" or a name of stdout), and
// toStdout reports whether one does.
func stdoutOutputs(flags map[string]string) (toStdout bool, err error) {
	var on []string
	for _, name := range []string{"json", "html", "shifts"} {
		if p := flags[name]; p != "" && (name == "json" && p == "-" || outfile.IsStdout(p)) {
			on = append(on, "--"+name)
		}
	}
	if len(on) > 1 {
		return true, usagef("%s name the standard output; send at most one output there", joinFlags(on))
	}
	return len(on) == 1, nil
}

func joinFlags(f []string) string {
	s := ""
	for i, x := range f {
		switch {
		case i == 0:
		case i == len(f)-1:
			s += " and "
		default:
			s += ", "
		}
		s += x
	}
	return s
}

// writeJSONFile writes v as JSON to path: atomically (temporary file, then
// rename) for a regular file, so an interrupted run never leaves half a
// document; directly for a pipe or device.
func writeJSONFile(path string, v any) error {
	return report.WriteFileAtomic(path, func(w io.Writer) error { return encodeJSON(w, v) })
}
