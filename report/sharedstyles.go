package report

import (
	"fmt"
	"html/template"
	"regexp"
	"sort"
	"strings"
)

// styleAttr matches the inline style attributes gonum/plot writes on
// every SVG element.
var styleAttr = regexp.MustCompile(`style="([^"<>{}]*)"`)

// shareStyles replaces the style attributes that recur in the page's
// figures with classes defined once in the page's style sheet: the same
// few dozen styles otherwise repeat on every path and text of every
// figure, a third of a page with many figures. Styles seen once stay
// inline. It returns the figures rewritten and the CSS rules.
func shareStyles(figs []*figureView) template.CSS {
	count := map[string]int{}
	for _, f := range figs {
		for _, m := range styleAttr.FindAllSubmatch([]byte(f.SVG), -1) {
			count[string(m[1])]++
		}
	}
	var shared []string
	for s, n := range count {
		if n >= 2 && !strings.ContainsAny(s, `\`) {
			shared = append(shared, s)
		}
	}
	if len(shared) == 0 {
		return ""
	}
	// Most frequent first gets the shortest name; ties by text, so the
	// page is the same byte for byte on every run.
	sort.Slice(shared, func(i, j int) bool {
		if count[shared[i]] != count[shared[j]] {
			return count[shared[i]] > count[shared[j]]
		}
		return shared[i] < shared[j]
	})
	class := make(map[string]string, len(shared))
	var css strings.Builder
	for i, s := range shared {
		name := fmt.Sprintf("s%d", i)
		class[s] = name
		fmt.Fprintf(&css, "figure svg .%s{%s}\n", name, s)
	}
	for _, f := range figs {
		f.SVG = template.HTML(styleAttr.ReplaceAllFunc([]byte(f.SVG), func(m []byte) []byte {
			s := string(m[len(`style="`) : len(m)-1])
			if name, ok := class[s]; ok {
				return []byte(`class="` + name + `"`)
			}
			return m
		}))
	}
	return template.CSS(css.String())
}

// allFigures collects pointers to every figure of the sections.
func allFigures(ss []sectionView) []*figureView {
	var out []*figureView
	for i := range ss {
		for j := range ss[i].Blocks {
			for k := range ss[i].Blocks[j].Figures {
				out = append(out, &ss[i].Blocks[j].Figures[k])
			}
		}
		out = append(out, allFigures(ss[i].Sections)...)
	}
	return out
}
