package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/apache/arrow-go/v18/parquet/file"
)

// buildVersion is the version recorded in reports: the release version
// set at link time, else the module version, else the VCS commit of the
// checkout it was built from ("-dirty" with uncommitted changes), else
// "unknown".
func buildVersion() string {
	if version != "dev" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if rev == "" {
		return "unknown"
	}
	return "commit " + rev + dirty
}

// commandLine is "syngeom" and args, each quoted for a POSIX shell when
// needed, so that the line can be pasted back.
func commandLine(args []string) string {
	parts := []string{"syngeom"}
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=,:+@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// parquetCitation returns the key-value metadata "citation" of the first
// Parquet file among paths that has one ("" if none). Files that are not
// Parquet are skipped; a Parquet file that cannot be opened is an error
// (the analysis would fail on it anyway).
func parquetCitation(paths []string) (string, error) {
	for _, p := range paths {
		if !strings.HasSuffix(strings.ToLower(p), ".parquet") {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		r, err := file.NewParquetReader(f)
		if err != nil {
			f.Close()
			return "", fmt.Errorf("%s: reading the Parquet metadata: %w", p, err)
		}
		v := r.MetaData().KeyValueMetadata().FindValue("citation")
		r.Close()
		if v != nil && strings.TrimSpace(*v) != "" {
			return strings.TrimSpace(*v), nil
		}
	}
	return "", nil
}
