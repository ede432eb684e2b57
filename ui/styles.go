package ui

import (
	"hash/fnv"
	"image/color"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	"charm.land/lipgloss/v2"
	"github.com/auditui/auditui/model"
)

// Styles is every style the browser draws with, built once per theme.
type Styles struct {
	IsDark bool

	Header      lipgloss.Style
	HeaderLabel lipgloss.Style
	HeaderValue lipgloss.Style
	Live        lipgloss.Style // the mark that the browser follows new events

	ColumnTitle lipgloss.Style
	Row         lipgloss.Style
	Selected    lipgloss.Style // the cursor row when the list has focus
	SelectedDim lipgloss.Style // the cursor row when the detail has focus
	Time        lipgloss.Style
	Actor       lipgloss.Style
	Project     lipgloss.Style
	Summary     lipgloss.Style
	Match       lipgloss.Style // filter matches inside a row
	Failure     lipgloss.Style // types that report a failure

	Border        lipgloss.Style
	BorderFocused lipgloss.Style

	DetailTitle   lipgloss.Style
	DetailSection lipgloss.Style
	DetailKey     lipgloss.Style
	DetailValue   lipgloss.Style
	DetailMuted   lipgloss.Style
	Added         lipgloss.Style
	Removed       lipgloss.Style

	Status      lipgloss.Style
	StatusError lipgloss.Style
	StatusOK    lipgloss.Style
	Spinner     lipgloss.Style

	JSONKey     lipgloss.Style
	JSONString  lipgloss.Style
	JSONNumber  lipgloss.Style
	JSONKeyword lipgloss.Style
	JSONPunct   lipgloss.Style

	PickerCategory lipgloss.Style
	PickerCursor   lipgloss.Style

	Help      help.Styles
	TextInput textinput.Styles

	categories []color.Color
	paint      rowPaints
	catPaint   map[string]paint
}

// paint is a style reduced to the escape sequences around its text, so
// that drawing a list cell is two string writes instead of a Render.
type paint struct{ pre, post string }

// paintOf renders one letter and keeps what surrounds it: SGR sequences
// hold no X. (A NUL was drawn unstyled by an underlined style, which left
// the filter's matches unpainted.)
func paintOf(st lipgloss.Style) paint {
	s := st.Render("X")
	i := strings.IndexByte(s, 'X')
	if i < 0 {
		return paint{}
	}
	return paint{pre: s[:i], post: s[i+1:]}
}

func (p paint) write(b *strings.Builder, s string) {
	if s == "" {
		return
	}
	b.WriteString(p.pre)
	b.WriteString(s)
	b.WriteString(p.post)
}

// rowPaints are the list row's styles as paints.
type rowPaints struct {
	time, actor, ip, project, summary, match, failure paint
}

// NewStyles builds the theme for a dark or light terminal background. The
// colours are downsampled by Bubble Tea to what the terminal supports and
// dropped entirely under NO_COLOR; the cursor row stays visible there
// because it is drawn in reverse video.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	fg := ld(lipgloss.Color("#1F1F1F"), lipgloss.Color("#E4E4E4"))
	muted := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
	subtle := ld(lipgloss.Color("#C8C8C8"), lipgloss.Color("#3A3A3A"))
	accent := ld(lipgloss.Color("#5A3FD6"), lipgloss.Color("#A48BFF"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF6B6B"))
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#5FD38D"))
	yellow := ld(lipgloss.Color("#8A6100"), lipgloss.Color("#F2C94C"))

	s := Styles{IsDark: isDark}
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(fg)
	s.HeaderLabel = lipgloss.NewStyle().Foreground(muted)
	s.HeaderValue = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Live = lipgloss.NewStyle().Foreground(green).Bold(true)

	s.ColumnTitle = lipgloss.NewStyle().Foreground(muted).Bold(true)
	s.Row = lipgloss.NewStyle().Foreground(fg)
	s.Selected = lipgloss.NewStyle().Reverse(true).Bold(true)
	s.SelectedDim = lipgloss.NewStyle().Reverse(true)
	s.Time = lipgloss.NewStyle().Foreground(muted)
	s.Actor = lipgloss.NewStyle().Foreground(fg)
	s.Project = lipgloss.NewStyle().Foreground(muted)
	s.Summary = lipgloss.NewStyle().Foreground(fg)
	s.Match = lipgloss.NewStyle().Underline(true).Bold(true).Foreground(yellow)
	s.Failure = lipgloss.NewStyle().Foreground(red).Bold(true)

	s.Border = lipgloss.NewStyle().Foreground(subtle)
	s.BorderFocused = lipgloss.NewStyle().Foreground(accent)

	s.DetailTitle = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.DetailSection = lipgloss.NewStyle().Bold(true).Foreground(fg)
	s.DetailKey = lipgloss.NewStyle().Foreground(muted)
	s.DetailValue = lipgloss.NewStyle().Foreground(fg)
	s.DetailMuted = lipgloss.NewStyle().Foreground(muted).Italic(true)
	s.Added = lipgloss.NewStyle().Foreground(green)
	s.Removed = lipgloss.NewStyle().Foreground(red)

	s.Status = lipgloss.NewStyle().Foreground(muted)
	s.StatusError = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.StatusOK = lipgloss.NewStyle().Foreground(green)
	s.Spinner = lipgloss.NewStyle().Foreground(accent)

	s.JSONKey = lipgloss.NewStyle().Foreground(accent)
	s.JSONString = lipgloss.NewStyle().Foreground(green)
	s.JSONNumber = lipgloss.NewStyle().Foreground(yellow)
	s.JSONKeyword = lipgloss.NewStyle().Foreground(red)
	s.JSONPunct = lipgloss.NewStyle().Foreground(muted)

	s.PickerCategory = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.PickerCursor = lipgloss.NewStyle().Reverse(true)

	s.Help = help.DefaultStyles(isDark)
	s.TextInput = textinput.DefaultStyles(isDark)
	s.TextInput.Focused.Prompt = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.TextInput.Blurred.Prompt = lipgloss.NewStyle().Foreground(muted)
	s.TextInput.Cursor.Blink = false // a steady cursor: no timer per keystroke

	for _, pair := range [][2]string{
		{"#0B6E99", "#4FC1FF"}, {"#8E44AD", "#C792EA"}, {"#1B7F3B", "#7FD88F"},
		{"#A35200", "#FFB86C"}, {"#B0286B", "#FF79C6"}, {"#00796B", "#4DD0E1"},
		{"#5D4037", "#D7BA7D"}, {"#3F51B5", "#8C9EFF"}, {"#827717", "#DCE775"},
	} {
		s.categories = append(s.categories, ld(lipgloss.Color(pair[0]), lipgloss.Color(pair[1])))
	}
	s.paint = rowPaints{
		time: paintOf(s.Time), actor: paintOf(s.Actor), ip: paintOf(s.Project), project: paintOf(s.Project),
		summary: paintOf(s.Summary), match: paintOf(s.Match), failure: paintOf(s.Failure),
	}
	s.catPaint = map[string]paint{}
	for _, t := range model.EventTypes() {
		if _, ok := s.catPaint[t.Category]; !ok {
			s.catPaint[t.Category] = paintOf(s.Category(t.Category))
		}
	}
	s.catPaint[model.CategoryOther] = paintOf(s.Category(model.CategoryOther))
	return s
}

// categoryPaint is Category as a paint.
func (s *Styles) categoryPaint(category string) paint {
	if p, ok := s.catPaint[category]; ok {
		return p
	}
	return paintOf(s.Category(category))
}

// Category returns the style an event type of the given category is drawn
// in; the same category always gets the same colour.
func (s Styles) Category(category string) lipgloss.Style {
	h := fnv.New32a()
	_, _ = h.Write([]byte(category))
	return lipgloss.NewStyle().Foreground(s.categories[int(h.Sum32()%uint32(len(s.categories)))])
}
