package main

import (
	"encoding/json"
	"io"

	"github.com/syngeom/syngeom/report"
)

// encodeJSON writes v as indented JSON, the form of every --json output.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// emitResult writes a command's result: the JSON document to stdout for
// --json - (instead of the text), else the text on stdout and, with a
// path, the JSON to that file (atomically).
func emitResult(env *runEnv, jsonPath string, doc any, text func(io.Writer)) error {
	if jsonPath == "-" {
		return encodeJSON(env.stdout, doc)
	}
	text(env.stdout)
	if jsonPath == "" {
		return nil
	}
	return writeJSONFile(jsonPath, doc)
}

// writeJSONFile writes v as JSON to path atomically (temporary file, then
// rename), so an interrupted run never leaves half a document.
func writeJSONFile(path string, v any) error {
	return report.WriteFileAtomic(path, func(w io.Writer) error { return encodeJSON(w, v) })
}
