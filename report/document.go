package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// DemoBanner is the banner text for a report made from built-in synthetic
// data.
const DemoBanner = "Synthetic demo data: this report was made from simulated synapses, not from a measurement. Run syngeom analyze FILE on your own data."

// Document is a report page that the caller fills and WriteHTML renders as
// one self-contained HTML file: inline CSS and SVG, no external resources
// and no script needed to read it, printable. Every string is escaped, so
// names from data files (columns, groups) are safe anywhere.
type Document struct {
	Title    string // the page's heading and <title>
	Subtitle string // a line under the title
	// Banner, if set, is shown prominently above everything else
	// (DemoBanner for synthetic data).
	Banner   string
	Verdict  string    // the one-sentence answer, highlighted
	Warnings []string  // shown under the verdict
	Sections []Section // the body, in order
	Methods  *Methods  // the methods section; nil: none
	Footer   string    // e.g. program version and date
	// Data, if not nil, is embedded as JSON in a
	// <script type="application/json" id="results"> block for tools that
	// read the page; it is never executed. It must marshal with
	// encoding/json (no NaN or Inf).
	Data any
}

// Section is a titled part of the report. Sub-sections (one per group,
// say) are stacked below the section's own blocks, with an index of links
// to them at the top of the section.
type Section struct {
	ID       string    // anchor; made from Title when empty
	Title    string    // the section's heading
	Blocks   []Block   // the section's own content, in order
	Sections []Section // sub-sections, below the blocks
	// Collapsed shows only the title until the reader opens the section
	// (an HTML <details> element: no script needed).
	Collapsed bool
}

// Block is one piece of section content: Paragraph, Summary, *Table,
// Figure, FigureRow or Note.
type Block interface{ isBlock() }

// Paragraph is a paragraph of plain text.
type Paragraph string

// KV is one key–value line of a Summary.
type KV struct {
	Key, Value string // the fact's name and its value
}

// Summary is a list of key–value facts ("pairs used: 812").
type Summary []KV

// Figure is an SVG image from one of this package's figure builders, with
// a caption. WriteHTML rejects SVG that is not well-formed or that could
// run code or load resources.
type Figure struct {
	ID      string // anchor; none when empty
	SVG     []byte // the image, from a figure's SVG method
	Caption string // text under the figure
}

// FigureRow shows figures side by side on wide screens (stacked on narrow
// ones and in print when they do not fit).
type FigureRow []Figure

// Note is a highlighted remark; Warning selects the warning style.
type Note struct {
	Text    string // the remark
	Warning bool   // use the warning style
}

// Methods is the methods paragraph a paper can reuse: text, every setting
// used, and references.
type Methods struct {
	Paragraphs []string    // the methods text
	Settings   Summary     // every setting used
	References []Reference // works cited
}

// Reference is a citation; an http or https URL (optional) becomes a
// link, other schemes are dropped. Links are the only external addresses
// in the page, and nothing is loaded from them.
type Reference struct {
	Text string // the citation as printed
	URL  string // optional http(s) link
}

func (Paragraph) isBlock() {}
func (Summary) isBlock()   {}
func (*Table) isBlock()    {}
func (Figure) isBlock()    {}
func (FigureRow) isBlock() {}
func (Note) isBlock()      {}

//go:embed page.html.tmpl
var pageTemplate string

//go:embed page.css
var pageCSS string

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"css": func() template.CSS { return template.CSS(pageCSS) },
}).Parse(pageTemplate))

// view types: the template sees only these, already checked.
type (
	docView struct {
		*Document
		Methods  *Methods
		Sections []sectionView
		JSON     template.JS
		HasJSON  bool
		// FigureCSS holds the figures' shared styles (shareStyles).
		FigureCSS template.CSS
	}
	sectionView struct {
		ID, Title string
		Level     int
		Collapsed bool
		Blocks    []blockView
		Sections  []sectionView
	}
	blockView struct {
		Kind    string
		Text    string
		Summary Summary
		Table   tableView
		Figures []figureView
		Warning bool
	}
	figureView struct {
		ID      string
		SVG     template.HTML
		Caption string
	}
	tableView struct {
		Caption string
		Header  []cellView
		Rows    [][]cellView
		Emph    []bool
		Notes   []string
	}
	cellView struct {
		Text string
		Num  bool
	}
)

// WriteHTML renders the document.
func (d *Document) WriteHTML(w io.Writer) error {
	v := docView{Document: d}
	if d.Methods != nil {
		m := *d.Methods
		m.References = make([]Reference, len(d.Methods.References))
		for i, r := range d.Methods.References {
			u := strings.ToLower(strings.TrimSpace(r.URL))
			if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
				r.URL = ""
			}
			m.References[i] = r
		}
		v.Methods = &m
	}
	ids := map[string]int{"results": 1, "top": 1, "contents": 1, "verdict": 1, "methods": 1}
	var err error
	v.Sections, err = viewSections(d.Sections, 2, ids)
	if err != nil {
		return err
	}
	v.FigureCSS = shareStyles(allFigures(v.Sections))
	if d.Data != nil {
		b, err := json.Marshal(d.Data)
		if err != nil {
			return fmt.Errorf("report: embedding results as JSON: %w", err)
		}
		// json.Marshal escapes <, > and & as \u003c etc., so the block
		// cannot end the script element early.
		v.JSON, v.HasJSON = template.JS(b), true
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, v); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func viewSections(ss []Section, level int, ids map[string]int) ([]sectionView, error) {
	out := make([]sectionView, 0, len(ss))
	for i, s := range ss {
		id := s.ID
		if id == "" {
			id = s.Title
		}
		sv := sectionView{ID: uniqueID(slug(id, "section-"+strconv.Itoa(i+1)), ids), Title: s.Title, Level: min(level, 4), Collapsed: s.Collapsed}
		for _, b := range s.Blocks {
			bv, err := viewBlock(b, ids)
			if err != nil {
				return nil, fmt.Errorf("report: section %q: %w", s.Title, err)
			}
			sv.Blocks = append(sv.Blocks, bv)
		}
		var err error
		sv.Sections, err = viewSections(s.Sections, level+1, ids)
		if err != nil {
			return nil, err
		}
		out = append(out, sv)
	}
	return out, nil
}

func viewBlock(b Block, ids map[string]int) (blockView, error) {
	switch x := b.(type) {
	case Paragraph:
		return blockView{Kind: "p", Text: string(x)}, nil
	case Summary:
		return blockView{Kind: "summary", Summary: x}, nil
	case *Table:
		return blockView{Kind: "table", Table: viewTable(x)}, nil
	case Figure:
		fv, err := viewFigure(x, ids)
		return blockView{Kind: "figures", Figures: []figureView{fv}}, err
	case FigureRow:
		bv := blockView{Kind: "figures"}
		for _, f := range x {
			fv, err := viewFigure(f, ids)
			if err != nil {
				return bv, err
			}
			bv.Figures = append(bv.Figures, fv)
		}
		return bv, nil
	case Note:
		return blockView{Kind: "note", Text: x.Text, Warning: x.Warning}, nil
	case nil:
		return blockView{}, errors.New("nil block")
	}
	return blockView{}, fmt.Errorf("unknown block type %T", b)
}

func viewFigure(f Figure, ids map[string]int) (figureView, error) {
	if err := checkSVG(f.SVG); err != nil {
		return figureView{}, fmt.Errorf("figure %q: %w", f.Caption, err)
	}
	id := ""
	if f.ID != "" {
		id = uniqueID(slug(f.ID, "figure"), ids)
	}
	return figureView{ID: id, SVG: template.HTML(f.SVG), Caption: f.Caption}, nil
}

func viewTable(t *Table) tableView {
	num := t.numericColumns()
	n := t.columns()
	tv := tableView{Caption: t.Caption, Notes: t.Notes}
	if len(t.Header) > 0 {
		tv.Header = make([]cellView, n)
		for j := range n {
			if j < len(t.Header) {
				tv.Header[j].Text = t.Header[j]
			}
			tv.Header[j].Num = num[j]
		}
	}
	for i, r := range t.Rows {
		row := make([]cellView, n)
		for j := range n {
			if j < len(r) {
				row[j].Text = r[j]
			}
			row[j].Num = num[j]
		}
		tv.Rows = append(tv.Rows, row)
		tv.Emph = append(tv.Emph, t.emphasized(i))
	}
	return tv
}

// slug makes an anchor from free text: lower-case letters, digits and
// hyphens; fallback when nothing usable remains.
func slug(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return fallback
	}
	if len(out) > 48 {
		out = strings.Trim(out[:48], "-")
	}
	return out
}

func uniqueID(id string, ids map[string]int) string {
	ids[id]++
	if k := ids[id]; k > 1 {
		id2 := id + "-" + strconv.Itoa(k)
		for ids[id2] > 0 {
			k++
			id2 = id + "-" + strconv.Itoa(k)
		}
		ids[id2]++
		return id2
	}
	return id
}

// checkURLs refuses CSS url(...) references other than fragments and
// inline data.
func checkURLs(s string) error {
	for rest := strings.ToLower(s); ; {
		i := strings.Index(rest, "url(")
		if i < 0 {
			return nil
		}
		rest = strings.TrimLeft(rest[i+4:], " '\"")
		if !strings.HasPrefix(rest, "#") && !strings.HasPrefix(rest, "data:") {
			return errors.New("SVG references an external url(...)")
		}
	}
}

// checkSVG accepts well-formed SVG with an <svg> root and nothing that can
// run code or fetch a resource: no script, foreignObject, iframe or
// animation elements, no on* attributes, no external links.
func checkSVG(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty SVG")
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	depth := 0
	root := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("invalid SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root && name != "svg" {
				return fmt.Errorf("SVG root element is <%s>", t.Name.Local)
			}
			root = false
			depth++
			switch name {
			case "script", "foreignobject", "iframe", "object", "embed", "set", "animate", "handler":
				return fmt.Errorf("SVG contains <%s>", t.Name.Local)
			}
			for _, a := range t.Attr {
				an := strings.ToLower(a.Name.Local)
				if strings.HasPrefix(an, "on") {
					return fmt.Errorf("SVG contains an event attribute %q", a.Name.Local)
				}
				if err := checkURLs(a.Value); err != nil {
					return err
				}
				if an == "href" {
					v := strings.TrimSpace(a.Value)
					if !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "data:image/") {
						return fmt.Errorf("SVG links to %q", v)
					}
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if err := checkURLs(string(t)); err != nil {
				return err
			}
		case xml.ProcInst, xml.Directive:
			return errors.New("SVG contains a processing instruction or directive")
		}
	}
	if root {
		return errors.New("no <svg> element")
	}
	return nil
}
