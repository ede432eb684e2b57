package ui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/charmbracelet/x/ansi"
)

// FuzzRenderEvent puts arbitrary text in every field a person reads and
// draws the event as a list row and in the detail pane at arbitrary widths:
// nothing may panic, no line may be wider than asked, and no control
// character may reach the terminal.
func FuzzRenderEvent(f *testing.F) {
	f.Add("login.failed", "a@b.c", "Mozilla\x1b[2J", "proj", "\u202eevil", 40)
	f.Add("x", "東京@例え.jp", "\u009b31m", "客户支持", "\x00\x07\x7f", 1)
	f.Add("tenant.user.added", strings.Repeat("W", 300), "\r\n", "", "\xff\xfe", 200)
	f.Fuzz(func(t *testing.T, typ, email, agent, project, value string, width int) {
		width = 1 + abs(width)%240
		doc := map[string]any{
			"id": "evt_" + value, "type": typ, "effective_at": 1720807000,
			"project": map[string]any{"id": project, "name": project},
			"actor": map[string]any{"type": "session", "session": map[string]any{
				"user": map[string]any{"id": value, "email": email}, "ip_address": value, "user_agent": agent,
			}},
			typ: map[string]any{"id": value, "name": email, "data": map[string]any{"scopes": []string{value, agent}},
				"changes_requested": map[string]any{value: agent}},
		}
		raw, err := json.Marshal(doc)
		if err != nil {
			t.Skip()
		}
		e, err := model.DecodeEvent(raw)
		if err != nil {
			t.Skip()
		}
		st := NewStyles(true)
		r := rowRenderer{styles: &st, now: testNow, loc: testZone, needle: strings.ToLower(value), matcher: model.CompileMatcher(value), cols: layoutColumns(width, timeLocal, &contentWidths{}, defaultColumns)}
		check := func(where, line string) {
			if w := ansi.StringWidth(line); w > width {
				t.Fatalf("%s line is %d cells wide, limit %d: %q", where, w, width, line)
			}
			for _, c := range ansi.Strip(line) {
				if c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || reachesTerminal(c) {
					t.Fatalf("%s line carries control %U: %q", where, c, line)
				}
			}
		}
		check("plain row", r.Plain(&e, width))
		check("styled row", r.Styled(&e, width))
		for _, raw := range []bool{false, true} {
			for _, l := range renderDetail(&st, &e, width, detailView{raw: raw, now: testNow, loc: time.UTC}) {
				check("detail", l)
			}
		}
	})
}
