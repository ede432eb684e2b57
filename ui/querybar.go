package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
)

// queryBar edits the query in force in the header: below the input, the
// fault with carets under it, or where each term runs. Nothing is applied
// until enter; esc keeps the query in force.
type queryBar struct {
	c      *common
	input  textinput.Model
	anchor time.Time // what relative times count back from
	apply  func(text string) tea.Cmd
	// The draft's plan (for the marks) or why it cannot be used.
	plan query.Plan
	err  *query.SyntaxError
	// unknown is a type: name the catalogue lacks, caught before it is
	// sent; enter on the same draft again (warned) sends it anyway, for
	// types newer than this build.
	unknown string
	near    []string
	warned  string
	// noActor is an actor: value no loaded event has as its email or id,
	// with the loaded actors that contain it.
	noActor   string
	nearActor []string
	// comp is the completion tab is cycling through; nil when none.
	comp *completing
	// back is how far ↑ has walked into the history (0: the draft), and
	// draft the text typed before it did.
	back  int
	draft string
	note  string // one-off word under the input: nothing to complete, no earlier query
}

// completing is one tab completion being cycled: the text before it, what
// it offers and which candidate is in the input.
type completing struct {
	text string
	c    query.Completion
	i    int
}

func newQueryBar(c *common, text string, anchor time.Time, apply func(string) tea.Cmd) *queryBar {
	in := textinput.New()
	in.Prompt = ": "
	in.Placeholder = "type:login.failed -country:US actor:alice@example.com ip:10.0.0.0/8 since:7d"
	in.CharLimit = 1024
	in.SetStyles(c.styles.TextInput)
	in.SetValue(query.Printable(text, anchor)) // the input would drop a control character, changing the query
	in.CursorEnd()
	b := &queryBar{c: c, input: in, anchor: anchor, apply: apply}
	b.check()
	return b
}

func (b *queryBar) Init() tea.Cmd { return b.input.Focus() }

func (b *queryBar) entersText()      {}
func (b *queryBar) HeaderLines() int { return 2 }

// check parses the draft, for the inline error or the server/local marks.
func (b *queryBar) check() {
	b.err = nil
	q, err := query.Parse(b.input.Value(), b.anchor)
	var se *query.SyntaxError
	switch {
	case errors.As(err, &se):
		b.err = se
	case err == nil:
		b.plan = query.Compile(q, b.anchor)
	}
	b.unknown, b.near = unknownType(q)
	b.noActor, b.nearActor = "", nil
	if b.err == nil && slices.ContainsFunc(q.Terms(), func(t query.Term) bool { return t.Key == query.KeyActor }) {
		b.c.seen.Update(b.c.set)
		if len(b.c.seen.Values(query.KeyActor)) > 0 {
			b.noActor, b.nearActor = b.c.seen.NoActor(q, 3)
		}
	}
}

// unknownType is the first type: name in q the catalogue does not know,
// with the closest ones it does.
func unknownType(q query.Query) (string, []string) {
	for _, t := range q.Terms() {
		if t.Key != query.KeyType || strings.ContainsAny(t.Value, "*?[") {
			continue
		}
		if _, ok := model.LookupType(t.Value); !ok {
			return t.Value, model.ClosestTypes(t.Value, 3)
		}
	}
	return "", nil
}

// unknownHint is the sentence about an unknown type.
func (b *queryBar) unknownHint() string {
	// The suggestion first: it is what a narrow screen must not cut.
	s := "unknown type " + sanitize.Display(b.unknown)
	if len(b.near) > 0 {
		s = "did you mean " + strings.Join(b.near, ", ") + "? " + s
	}
	if b.warned == b.input.Value() {
		return s + " · enter again sends it anyway"
	}
	return s + " · enter twice sends it (a type newer than this build)"
}

func (b *queryBar) Update(msg tea.Msg) (Component, tea.Cmd) {
	switch msg := msg.(type) {
	case sizeMsg:
		b.input.SetWidth(max(msg.width-len(b.input.Prompt)-1, 10))
		return b, nil
	case tea.KeyPressMsg:
		k := b.c.keys
		b.note = ""
		switch {
		case key.Matches(msg, k.Complete):
			return b, b.complete(1)
		case key.Matches(msg, k.CompleteBack):
			return b, b.complete(-1)
		case b.comp != nil && key.Matches(msg, k.Back):
			b.setText(b.comp.text, len(b.comp.text)) // esc takes the completion back first
			b.comp = nil
			return b, nil
		case key.Matches(msg, k.Earlier):
			b.walk(1)
			return b, nil
		case key.Matches(msg, k.Later):
			b.walk(-1)
			return b, nil
		}
		b.comp = nil // any other key keeps the completion
		if key.Matches(msg, b.c.keys.Apply) {
			if b.err != nil {
				return b, nil // the error is on screen; the query in force stays
			}
			if b.unknown != "" && b.warned != b.input.Value() {
				b.warned = b.input.Value()
				return b, nil
			}
			return nil, b.apply(b.input.Value())
		}
		switch closed, erased := b.c.keys.closeOrErase(msg, &b.input); {
		case closed:
			return nil, nil
		case erased:
			b.check()
			return b, nil
		}
	case tea.PasteMsg:
		msg.Content = query.EscapeTyped(msg.Content)
		return b.edit(msg)
	default:
		return b, nil
	}
	return b.edit(msg)
}

// edit passes a key or paste to the input. The input must never hold a
// character sanitize.Display would change: it draws its text raw, and drops
// controls silently. So a pasted one arrives escaped and any other (a BiDi
// override typed or pasted) is escaped in place.
func (b *queryBar) edit(msg tea.Msg) (Component, tea.Cmd) {
	before := b.input.Value()
	var cmd tea.Cmd
	b.input, cmd = b.input.Update(msg)
	v := b.input.Value()
	if v == before {
		return b, cmd
	}
	b.back = 0 // an edited query is a new draft
	if escaped := query.EscapeTyped(v); escaped != v {
		after := len([]rune(v)) - b.input.Position() // keep the cursor before the same text
		b.input.SetValue(escaped)
		b.input.SetCursor(len([]rune(escaped)) - after)
	}
	b.check()
	return b, cmd
}

// complete puts the next (step 1) or previous (-1) completion of the word
// at the cursor in the input; a lone one is taken at once, so the next tab
// completes on from it (type: then the types).
func (b *queryBar) complete(step int) tea.Cmd {
	if b.comp == nil {
		b.c.seen.Update(b.c.set)
		text := b.input.Value()
		cursor := len(string([]rune(text)[:min(b.input.Position(), len([]rune(text)))]))
		c := query.Complete(text, cursor, b.c.seen.Values)
		if len(c.Candidates) == 0 {
			b.note = "nothing to complete here"
			return nil
		}
		b.comp = &completing{text: text, c: c, i: -1}
		if step < 0 {
			b.comp.i = 0
		}
	}
	n := len(b.comp.c.Candidates)
	b.comp.i = ((b.comp.i+step)%n + n) % n
	b.setText(b.comp.c.Apply(b.comp.text, b.comp.i))
	if n == 1 {
		b.comp = nil
	}
	return nil
}

// walk moves back (1) or forward (-1) through the query history; forward
// past the newest brings back what was typed.
func (b *queryBar) walk(step int) {
	qs := b.c.recent.queries
	to := b.back + step
	switch {
	case to > len(qs):
		b.note = "no earlier query"
		if b.c.recent.err != "" {
			b.note = "query history not used: " + b.c.recent.err
		}
		return
	case to < 0:
		return
	}
	if b.back == 0 {
		b.draft = b.input.Value()
	}
	b.back = to
	text := b.draft
	if to > 0 {
		text = query.Printable(qs[len(qs)-to], b.anchor)
	}
	b.setText(text, len(text))
}

// setText puts text in the input with the cursor at byte offset cursor.
func (b *queryBar) setText(text string, cursor int) {
	b.input.SetValue(text)
	b.input.SetCursor(len([]rune(text[:min(cursor, len(text))])))
	b.check()
}

func (b *queryBar) ShortHelp() []key.Binding {
	k := b.c.keys
	return []key.Binding{k.Apply, withHelp(k.Complete, "tab", "complete"), withHelp(k.Earlier, "↑/↓", "history"),
		withHelp(k.Back, "esc", "keep the query in force")}
}

// Render draws the input and, below it, the fault or the terms' marks.
func (b *queryBar) Render(width, _ int) string {
	return padTo(b.input.View(), width) + "\n" + b.hint(width)
}

func (b *queryBar) hint(width int) string {
	st := b.c.styles
	if b.comp != nil {
		return padTo(b.candidates(width), width)
	}
	if se := b.err; se != nil {
		text := b.input.Value()
		lead := ansi.StringWidth(b.input.Prompt)
		pos := min(se.Pos, len(text))
		// Carets under the fault when the text is not scrolled in the input.
		if w := lead + ansi.StringWidth(sanitize.Display(text)); w < width {
			col := lead + ansi.StringWidth(sanitize.Display(text[:pos]))
			n := max(ansi.StringWidth(sanitize.Display(text[pos:min(pos+se.Len, len(text))])), 1)
			marks := strings.Repeat(" ", col) + st.StatusError.Render(strings.Repeat("^", n)) + " " + st.StatusError.Render(sanitize.Display(se.Msg))
			return padTo(cut(marks, width), width)
		}
		return padTo(cut(st.StatusError.Render(sanitize.Display(se.Error())), width), width)
	}
	if b.note != "" {
		return padTo(cut(st.HeaderLabel.Render(" "+sanitize.Display(b.note)), width), width)
	}
	if b.unknown != "" {
		return padTo(cut(st.StatusError.Render(" "+b.unknownHint()), width), width)
	}
	if b.noActor != "" {
		s := "no actor matches " + sanitize.Display(b.noActor) + " in the loaded events"
		if len(b.nearActor) > 0 {
			s = sanitize.Display(strings.Join(b.nearActor, ", ")) + "? " + s + " · tab completes"
		}
		return padTo(cut(st.StatusError.Render(" "+s), width), width)
	}
	var server, local []string
	for _, t := range b.plan.Terms {
		s := sanitize.Display(t.Term.String())
		if t.Where == query.Locally {
			local = append(local, s)
		} else {
			server = append(server, s)
		}
	}
	var parts []string
	if len(server) > 0 {
		where := "on the server: "
		if b.c.fromFile {
			where = "in the file: "
		}
		parts = append(parts, st.HeaderLabel.Render(where)+st.StatusOK.Render(strings.Join(server, " ")))
	}
	if len(local) > 0 {
		parts = append(parts, st.HeaderLabel.Render("here: ")+st.Match.UnsetUnderline().Render(strings.Join(local, " ")))
	}
	if len(parts) == 0 {
		parts = append(parts, st.HeaderLabel.Render("type:login.failed -country:US actor:… ip:10.0.0.0/8 since:7d \"text\" · enter applies · esc keeps the query"))
	}
	return padTo(" "+strings.Join(parts, st.HeaderLabel.Render(" · ")), width)
}

// candidates is the completions on one line, the one in the input marked,
// as many around it as fit: " 3/14 login.failed [login.succeeded] …".
func (b *queryBar) candidates(width int) string {
	st := b.c.styles
	at := b.comp.i
	// Values without their key: the key is what was typed.
	cands := make([]string, len(b.comp.c.Candidates))
	for i, c := range b.comp.c.Candidates {
		if _, v, ok := strings.Cut(c, ":"); ok && v != "" {
			c = v
		}
		cands[i] = c
	}
	count := fmt.Sprintf(" %d/%d ", at+1, len(cands))
	room := width - ansi.StringWidth(count) - 2
	// The window of candidates that fits, starting at the one it holds and
	// widened backwards while there is room.
	from, to, used := at, at, 0
	for to < len(cands) && used+ansi.StringWidth(sanitize.Display(cands[to]))+1 <= room {
		used += ansi.StringWidth(sanitize.Display(cands[to])) + 1
		to++
	}
	for from > 0 && used+ansi.StringWidth(sanitize.Display(cands[from-1]))+1 <= room {
		from--
		used += ansi.StringWidth(sanitize.Display(cands[from])) + 1
	}
	parts := make([]string, 0, to-from+2)
	if from > 0 {
		parts = append(parts, "…")
	}
	for i := from; i < max(to, at+1); i++ {
		if i == at {
			parts = append(parts, st.Match.Render(sanitize.Display(cands[i])))
		} else {
			parts = append(parts, st.HeaderValue.Render(sanitize.Display(cands[i])))
		}
	}
	if max(to, at+1) < len(cands) {
		parts = append(parts, "…")
	}
	return cut(st.HeaderLabel.Render(count)+strings.Join(parts, " "), width)
}
