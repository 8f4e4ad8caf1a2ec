package ingest

import (
	"fmt"
	"sort"
	"strings"
)

// CountsList writes counts such as Data.Excluded as "missing 3, zero 12":
// sorted by key, underscores as spaces, zeros left out; "" when every
// count is zero.
func CountsList(m map[string]int64) string {
	return JoinCounts(m, func(k string, v int64) string {
		return fmt.Sprintf("%s %d", strings.ReplaceAll(k, "_", " "), v)
	})
}

// JoinCounts writes the nonzero counts of m, sorted by key, each as item
// writes it, separated by commas.
func JoinCounts(m map[string]int64, item func(k string, v int64) string) string {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if v != 0 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = item(k, m[k])
	}
	return strings.Join(parts, ", ")
}
