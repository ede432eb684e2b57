package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/history"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/charmbracelet/x/ansi"
)

// detailDoc builds the lines of the detail pane for one event at one width.
// Every value from the event passes through Sanitize and is wrapped to the
// width, so no line is wider than width.
type detailDoc struct {
	s     *Styles
	width int
	lines []string
}

const detailKeyWidth = 12

func (d *detailDoc) blank() { d.lines = append(d.lines, "") }

// text adds a line of our own words (not from the event), truncated.
func (d *detailDoc) text(st lipgloss.Style, s string) {
	d.lines = append(d.lines, st.Render(cut(s, d.width)))
}

func (d *detailDoc) section(title string) {
	if len(d.lines) > 0 {
		d.blank()
	}
	d.text(d.s.DetailSection, title)
}

// field adds "  key  value" with the value sanitised and wrapped beneath
// itself; empty values are left out.
func (d *detailDoc) field(key, value string) { d.fieldStyled(key, value, d.s.DetailValue) }

func (d *detailDoc) fieldStyled(key, value string, st lipgloss.Style) {
	if value == "" {
		return
	}
	d.indented(1, key, value, st)
}

// group adds key/value lines whose values line up in one column.
func (d *detailDoc) group(depth int, pairs [][2]string, st lipgloss.Style) {
	kw := detailKeyWidth
	for _, p := range pairs {
		kw = max(kw, ansi.StringWidth(sanitize.Display(p[0]))+1)
	}
	kw = min(kw, max(d.width/2, detailKeyWidth))
	for _, p := range pairs {
		d.keyed(depth, kw, p[0], p[1], st)
	}
}

// indented adds a key/value line at a tree depth.
func (d *detailDoc) indented(depth int, key, value string, st lipgloss.Style) {
	d.keyed(depth, max(detailKeyWidth, ansi.StringWidth(sanitize.Display(key))+1), key, value, st)
}

func (d *detailDoc) keyed(depth, kw int, key, value string, st lipgloss.Style) {
	indent := strings.Repeat("  ", depth)
	if len(indent)+kw+8 > d.width {
		kw = max(ansi.StringWidth(key)+1, 0)
	}
	keyCell := fit(sanitize.Display(key), kw)
	valueWidth := d.width - len(indent) - kw
	if valueWidth < 4 {
		// Too narrow for two columns: key on its own line, value below.
		d.lines = append(d.lines, d.s.DetailKey.Render(cut(indent+sanitize.Display(key), d.width)))
		for _, l := range wrapValue(value, d.width) {
			d.lines = append(d.lines, st.Render(l))
		}
		return
	}
	for i, l := range wrapValue(value, valueWidth) {
		if i == 0 {
			d.lines = append(d.lines, indent+d.s.DetailKey.Render(keyCell)+st.Render(l))
			continue
		}
		d.lines = append(d.lines, strings.Repeat(" ", len(indent)+kw)+st.Render(l))
	}
}

// Limits on what the detail pane draws of a huge record, so that selecting
// it never stalls the screen; y still copies all of it.
const (
	maxValueBytes = 16 << 10
	maxRawBytes   = 256 << 10
)

// clipBytes cuts s to at most n bytes at a rune boundary and says how much
// was left out.
func clipBytes(s string, n int) string {
	head, cut := sanitize.Cut(s, n)
	if !cut {
		return s
	}
	return head + " … (" + commas(len(s)-len(head)) + " more bytes; y copies the whole record)"
}

// wrapValue sanitises a value from the API and wraps it to width cells,
// breaking long words, by grapheme cluster and measured so that it fits
// whichever width the renderer uses (sanitize.Wrap).
func wrapValue(value string, width int) []string {
	// Newlines inside a value stay visible as ␊ so a value cannot forge
	// lines that look like other fields.
	l := sanitize.Display(clipBytes(value, maxValueBytes))
	if width <= 0 {
		return []string{""}
	}
	return sanitize.Wrap(l, width)
}

// detailView is what the detail pane shows for an event: the readable
// tree, or the whole raw record.
type detailView struct {
	raw bool
	now time.Time
	loc *time.Location
	// history is the timeline of an object, for before → after; canFetch
	// says whether more of it can be asked for. Nil draws the event alone.
	history  func(id string) *history.History
	canFetch func(id string) bool
}

// renderDetail returns the detail pane's lines for e at width.
func renderDetail(s *Styles, e *model.Event, width int, v detailView) []string {
	width = max(width, 1)
	d := &detailDoc{s: s, width: width}
	if v.raw {
		d.text(s.DetailTitle, "Raw record")
		raw, err := e.JSON()
		if err != nil {
			d.lines = append(d.lines, wrapStyled(s.StatusError, sanitize.OneLine(err.Error()), width)...)
			return d.lines
		}
		d.lines = append(d.lines, highlightJSON(s, raw, width)...)
		return d.lines
	}
	t, known := model.LookupType(e.Type)
	d.lines = append(d.lines, wrapStyled(s.Category(t.Category).Bold(true), sanitize.Display(e.Type), width)...)
	d.lines = append(d.lines, wrapStyled(s.DetailMuted, t.Category+" · "+t.Description, width)...)
	d.field("id", e.ID)

	d.section("When")
	d.field("local", e.EffectiveAt.In(v.loc).Format("2006-01-02 15:04:05 MST"))
	d.field("UTC", e.EffectiveAt.UTC().Format("2006-01-02 15:04:05Z"))
	d.field("relative", relative(e.EffectiveAt, v.now))

	renderActor(d, e.Actor)

	if !e.Project.IsZero() {
		d.section("Project")
		d.field("id", e.Project.ID)
		d.field("name", e.Project.Name)
	}

	renderPayload(d, e, known, v.history != nil && len(detailObjects(e)) > 0)
	renderChanges(d, e, v)
	return d.lines
}

func renderActor(d *detailDoc, a model.Actor) {
	switch {
	case a.Session != nil:
		d.section("Actor · session")
		s := a.Session
		d.field("email", s.User.Email)
		d.field("user id", s.User.ID)
		d.field("IP", s.IPAddress)
		d.field("location", location(s.Location))
		d.field("user agent", s.UserAgent)
		d.field("ja3", s.JA3)
		d.field("ja4", s.JA4)
	case a.APIKey != nil:
		k := a.APIKey
		if k.Type == model.APIKeyServiceAccount || k.ServiceAccountID != "" {
			d.section("Actor · API key of a service account")
			d.field("key id", k.ID)
			d.field("account", k.ServiceAccountID)
			return
		}
		d.section("Actor · API key of a user")
		d.field("key id", k.ID)
		d.field("owner", k.User.Email)
		d.field("owner id", k.User.ID)
		if k.Type != "" && k.Type != model.APIKeyUser {
			d.field("key type", k.Type)
		}
	default:
		d.section("Actor")
		if a.Kind != model.ActorNone {
			d.field("type", string(a.Kind))
		} else {
			d.text(d.s.DetailMuted, "  none recorded")
		}
	}
}

// location joins what is known of where an IP address is.
func location(l model.Location) string {
	if l.IsZero() {
		return ""
	}
	var parts []string
	for _, p := range []string{l.City, l.Region, l.Country} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	s := strings.Join(parts, ", ")
	if l.ASN != "" {
		s += " · AS" + strings.TrimPrefix(l.ASN, "AS")
	}
	if l.Latitude != "" && l.Longitude != "" {
		s += " · " + l.Latitude + "," + l.Longitude
	}
	return s
}

// wrapStyled wraps text of our own or already sanitised to width and styles
// each line.
func wrapStyled(st lipgloss.Style, s string, width int) []string {
	var out []string
	for _, l := range wrapValue(s, width) {
		out = append(out, st.Render(l))
	}
	return out
}

// highlightJSON pretty-prints raw and colours it with chroma's JSON lexer.
// The text is sanitised before it is tokenised, so the only escape
// sequences in the result are the ones the styles add.
func highlightJSON(s *Styles, raw json.RawMessage, width int) []string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		buf.Reset()
		buf.Write(raw)
	}
	pretty := buf.String()
	var note string
	if len(pretty) > maxRawBytes {
		head, _ := sanitize.Cut(pretty, maxRawBytes)
		if cut := strings.LastIndexByte(head, '\n'); cut > 0 {
			head = head[:cut]
		}
		note = "… the record is " + commas(len(raw)) + " bytes; the rest is not drawn (y copies all of it)"
		pretty = head
	}
	// Wrapped before it is coloured, by the same measure as the values.
	var wrapped []string
	for _, l := range sanitize.Lines(pretty) {
		wrapped = append(wrapped, sanitize.Wrap(clipBytes(l, maxValueBytes), width)...)
	}
	text := strings.Join(wrapped, "\n")
	lines := []string{""}
	if lexer := lexers.Get("json"); lexer != nil {
		if it, err := lexer.Tokenise(nil, text); err == nil {
			var cur strings.Builder
			for tok := it(); tok != chroma.EOF; tok = it() {
				st := jsonTokenStyle(s, tok.Type)
				for i, part := range strings.Split(tok.Value, "\n") {
					if i > 0 {
						lines[len(lines)-1] = cur.String()
						cur.Reset()
						lines = append(lines, "")
					}
					if part != "" {
						cur.WriteString(st.Render(part))
					}
				}
			}
			lines[len(lines)-1] = cur.String()
		}
	}
	if len(lines) == 1 && lines[0] == "" {
		lines = strings.Split(text, "\n")
	}
	var out []string
	for _, l := range lines {
		if styledWidth(l) <= width {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(l, width, true), "\n")...)
	}
	if note != "" {
		out = append(out, wrapStyled(s.DetailMuted, note, width)...)
	}
	return out
}

func jsonTokenStyle(s *Styles, t chroma.TokenType) lipgloss.Style {
	switch {
	case t == chroma.NameTag:
		return s.JSONKey
	case t.InSubCategory(chroma.LiteralString):
		return s.JSONString
	case t.InSubCategory(chroma.LiteralNumber):
		return s.JSONNumber
	case t.InCategory(chroma.Keyword):
		return s.JSONKeyword
	}
	return s.JSONPunct
}
