package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checkPage parses an HTML page and checks what every report page must
// satisfy: it parses, loads nothing from outside (the only external
// addresses are citation links), carries no executable script, has
// unique ids and intact internal links.
func checkPage(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("page does not parse: %v", err)
	}
	ids := map[string]bool{}
	var links []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			tag := n.Data
			for _, a := range n.Attr {
				key, val := strings.ToLower(a.Key), strings.TrimSpace(a.Val)
				if key == "id" {
					if ids[val] {
						t.Errorf("duplicate id %q", val)
					}
					ids[val] = true
				}
				if strings.HasPrefix(key, "on") {
					t.Errorf("<%s> has event handler %s", tag, key)
				}
				external := strings.Contains(strings.ToLower(val), "http:") || strings.Contains(strings.ToLower(val), "https:") || strings.HasPrefix(val, "//")
				switch {
				case tag == "a" && key == "href":
					if strings.HasPrefix(val, "#") {
						links = append(links, val[1:])
					}
				case key == "xmlns" || a.Namespace == "xmlns":
					// SVG namespace names are identifiers, not fetched.
				case external:
					t.Errorf("<%s %s=%q> refers to an external resource", tag, key, val)
				}
				if key == "src" || (key == "href" && tag != "a") {
					if !strings.HasPrefix(val, "#") && !strings.HasPrefix(val, "data:") {
						t.Errorf("<%s %s=%q> loads a resource", tag, key, val)
					}
				}
			}
			switch tag {
			case "script":
				typ := ""
				for _, a := range n.Attr {
					if a.Key == "type" {
						typ = a.Val
					}
				}
				if typ != "application/json" {
					t.Errorf("executable <script type=%q>", typ)
				}
			case "link", "iframe", "object", "embed", "img", "foreignobject":
				t.Errorf("page contains <%s>", tag)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, l := range links {
		if !ids[l] {
			t.Errorf("link to missing anchor #%s", l)
		}
	}
	if bytes.Contains(b, []byte("@import")) || bytes.Contains(b, []byte("url(http")) {
		t.Error("CSS loads an external resource")
	}
	return doc
}

// textOf concatenates the text of n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestDocumentEscapesUserStrings(t *testing.T) {
	evil := `<b>w0</b>" onmouseover="x()" & <script>alert(1)</script>`
	svg, err := HistogramFigure{Title: evil, Sample: []float64{1, 2, 3}}.SVG()
	if err != nil {
		t.Fatal(err)
	}
	tb := &Table{Caption: evil, Header: []string{evil, "n"}, Notes: []string{evil}}
	tb.AddRow(evil, 3)
	tb.Emphasize(0)
	doc := &Document{
		Title: evil, Subtitle: evil, Banner: evil, Verdict: evil, Warnings: []string{evil},
		Sections: []Section{{Title: evil, Blocks: []Block{
			Paragraph(evil), Summary{{evil, evil}}, tb, Note{Text: evil, Warning: true},
			Figure{ID: evil, SVG: svg, Caption: evil},
		}, Sections: []Section{{Title: evil}, {Title: evil}}}},
		Methods: &Methods{Paragraphs: []string{evil}, Settings: Summary{{evil, evil}},
			References: []Reference{{Text: evil, URL: "javascript:alert(1)"}, {Text: "paper", URL: "https://arxiv.org/abs/2305.19394"}}},
		Footer: evil,
		Data:   map[string]string{"column": evil, "end": "</script><!--"},
	}
	var buf bytes.Buffer
	if err := doc.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := checkPage(t, buf.Bytes())
	if n := len(findAll(page, "b")); n != 0 {
		t.Errorf("user text produced %d <b> elements", n)
	}
	scripts := findAll(page, "script")
	if len(scripts) != 1 {
		t.Fatalf("%d script elements, want the JSON block only", len(scripts))
	}
	var back map[string]string
	if err := json.Unmarshal([]byte(textOf(scripts[0])), &back); err != nil {
		t.Fatalf("JSON block does not parse: %v", err)
	}
	if back["column"] != evil || back["end"] != "</script><!--" {
		t.Errorf("JSON block round trip: %q", back)
	}
	if !strings.Contains(textOf(findAll(page, "h1")[0]), evil) {
		t.Error("title text not shown verbatim")
	}
	var hrefs []string
	for _, a := range findAll(page, "a") {
		if h := attr(a, "href"); !strings.HasPrefix(h, "#") {
			hrefs = append(hrefs, h)
		}
	}
	if len(hrefs) != 1 || hrefs[0] != "https://arxiv.org/abs/2305.19394" {
		t.Errorf("external links %q, want only the https citation", hrefs)
	}
	// The section ids are unique even though all titles are equal.
	if n := len(findAll(page, "section")); n < 4 {
		t.Errorf("%d sections", n)
	}
}

func TestDocumentRejectsUnsafeSVG(t *testing.T) {
	bad := map[string]string{
		"script":      `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
		"onload":      `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`,
		"external":    `<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>`,
		"css-url":     `<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://example.org/x)"/></svg>`,
		"foreign":     `<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div/></foreignObject></svg>`,
		"not-svg":     `<div>hello</div>`,
		"malformed":   `<svg><g></svg>`,
		"empty":       ``,
		"doctype":     `<!DOCTYPE svg [<!ENTITY x "y">]><svg/>`,
		"html-breaks": `<svg xmlns="http://www.w3.org/2000/svg"><text>a</text></svg></figure><script>alert(1)</script>`,
	}
	for name, s := range bad {
		doc := &Document{Title: "x", Sections: []Section{{Title: "s", Blocks: []Block{Figure{SVG: []byte(s)}}}}}
		if err := doc.WriteHTML(&bytes.Buffer{}); err == nil {
			t.Errorf("%s: unsafe SVG accepted", name)
		}
	}
	ok := `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#a"/><rect style="fill:url(#g)"/></svg>`
	doc := &Document{Title: "x", Sections: []Section{{Title: "s", Blocks: []Block{Figure{SVG: []byte(ok)}}}}}
	if err := doc.WriteHTML(&bytes.Buffer{}); err != nil {
		t.Errorf("safe SVG refused: %v", err)
	}
}

func TestDocumentRejectsNonFiniteData(t *testing.T) {
	doc := &Document{Title: "x", Data: map[string]float64{"dcdf": math.NaN()}}
	if err := doc.WriteHTML(&bytes.Buffer{}); err == nil {
		t.Error("NaN in the results JSON accepted")
	}
}

func TestDocumentStructure(t *testing.T) {
	doc := buildDemoDocument(t, 1500)
	var buf bytes.Buffer
	if err := doc.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := checkPage(t, buf.Bytes())
	b := buf.Bytes()
	for _, want := range []string{`class="banner"`, `class="verdict"`, `<nav class="contents"`, `<nav class="index"`, `id="methods"`, `class="emph"`, `class="num"`, `<figcaption>`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("page lacks %s", want)
		}
	}
	if n := len(findAll(page, "svg")); n != 11 {
		t.Errorf("%d inline SVG figures, want 11", n)
	}
	// The group index links to each group section.
	var groupLinks int
	for _, nav := range findAll(page, "nav") {
		if attr(nav, "class") == "index" {
			groupLinks += len(findAll(nav, "a"))
		}
	}
	if groupLinks != 2 {
		t.Errorf("group index has %d links, want 2", groupLinks)
	}
	// Only the citation link leaves the page.
	var external []string
	for _, a := range findAll(page, "a") {
		if h := attr(a, "href"); !strings.HasPrefix(h, "#") {
			external = append(external, h)
		}
	}
	if len(external) != 1 || external[0] != "https://arxiv.org/abs/2305.19394" {
		t.Errorf("external links %q", external)
	}
	if len(b) > 2_000_000 {
		t.Errorf("page is %d bytes", len(b))
	}
}

func TestSlugAndUniqueIDs(t *testing.T) {
	ids := map[string]int{}
	got := []string{
		uniqueID(slug("Group L2/3", "x"), ids),
		uniqueID(slug("group l2 3", "x"), ids),
		uniqueID(slug("Группа", "section-3"), ids),
		uniqueID(slug("group-l2-3-2", "x"), ids),
	}
	want := []string{"group-l2-3", "group-l2-3-2", "section-3", "group-l2-3-2-2"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("id %d = %q, want %q", i, got[i], want[i])
		}
	}
}
