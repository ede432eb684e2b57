package ui

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/openai/fakeapi"
)

// reachesTerminal is the promise written out independently of the
// sanitiser's own tables: ESC and every other C0 control, DEL, the C1
// controls, and the BiDi embeddings, overrides and isolates.
func reachesTerminal(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// checkDrawable fails unless s is valid UTF-8 free of what reachesTerminal
// names.
func checkDrawable(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s is not valid UTF-8: %q", what, s)
	}
	for _, r := range s {
		if reachesTerminal(r) {
			t.Fatalf("%s carries %U: %q", what, r, s)
		}
	}
}

// FuzzSanitizeOutput checks Sanitize and SanitizeLines against the promise
// above, and that what they return measures sanely with the width function
// the UI uses: at most ten cells for each input character (the longest
// placeholder, \U00011a84), and fit pads or cuts it to exactly the cells asked.
func FuzzSanitizeOutput(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = 1 + abs(width)%120
		out := sanitize.Display(s)
		checkDrawable(t, "Sanitize", out)
		if w, limit := cellWidth(out), 10*utf8.RuneCountInString(s); w > limit {
			t.Fatalf("sanitize.Display(%q) is %d cells wide, more than %d", s, w, limit)
		}
		if w := cellWidth(fit(out, width)); w != width {
			t.Fatalf("fit(sanitize.Display(%q), %d) is %d cells wide", s, width, w)
		}
		lines := sanitize.Lines(s)
		if want := strings.Count(strings.ReplaceAll(s, "\r\n", "\n"), "\n") + 1; len(lines) != want {
			t.Fatalf("sanitize.Lines(%q) gave %d lines, want %d", s, len(lines), want)
		}
		for _, l := range lines {
			checkDrawable(t, "SanitizeLines", l)
		}
	})
}

// FuzzBrowserView puts arbitrary bytes in every field a person reads, loads
// the event and two more, each at its own time anywhere the decoder accepts
// (±1e11 s), into the browser at an arbitrary size and draws it in the
// states keys lead to: the screen is always exactly the terminal's size,
// measured as the UI measures, and nothing in it reaches the terminal.
func FuzzBrowserView(f *testing.F) {
	f.Fuzz(func(t *testing.T, typ, who, text string, width, height int, keys uint8, at1, at2, at3 int64) {
		width, height = 1+abs(width)%200, 1+abs(height)%60
		var events []model.Event
		for i, at := range []int64{at1, at2, at3} {
			raw := fmt.Sprintf(`{"id":%s,"type":%s,"effective_at":%d,"project":{"id":%s,"name":%s},`+
				`"actor":{"type":"session","session":{"user":{"id":%s,"email":%s},"ip_address":%s,"user_agent":%s,"ip_address_details":{"country":%s,"city":%s}}},`+
				`%s:{"id":%s,"data":{"scopes":[%s]},"changes_requested":{%s:%s},"error_message":%s}}`,
				fakeapi.JSONString(fmt.Sprint("evt_", i, text)), fakeapi.JSONString(typ), at%(1e11+1), fakeapi.JSONString(text), fakeapi.JSONString(who),
				fakeapi.JSONString(who), fakeapi.JSONString(who), fakeapi.JSONString(text), fakeapi.JSONString(text), fakeapi.JSONString(text), fakeapi.JSONString(who),
				fakeapi.JSONString(typ), fakeapi.JSONString(text), fakeapi.JSONString(who), fakeapi.JSONString(text), fakeapi.JSONString(who), fakeapi.JSONString(text))
			e, err := model.DecodeEvent([]byte(raw))
			if err != nil {
				t.Skip()
			}
			events = append(events, e)
		}
		m := feed(t, newTestModel(&pagedSource{name: who}, width, height), events, 1)
		seq := []string{"enter", "r", "tab", "d", "t", "/", "G", "?"}
		var pressed []string
		for i, k := range seq {
			if keys&(1<<i) != 0 {
				pressed = append(pressed, k)
			}
		}
		m = press(t, m, pressed...)
		if keys&(1<<5) != 0 { // the filter box is open: type into it too
			typed := []rune(who)
			m = typeText(t, m, string(typed[:min(len(typed), 16)])) // each keystroke filters: keep it short
		}
		screen := screenText(m)
		assertFits(t, screen, width, height)
		checkDrawable(t, "the screen", strings.ReplaceAll(screen, "\n", ""))
		checkDrawable(t, "the window title", m.View().WindowTitle)
	})
}
