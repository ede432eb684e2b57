package ui

import (
	"fmt"
	"github.com/auditui/auditui/model"
	"github.com/charmbracelet/x/ansi"
	"strings"
	"testing"
)

// TestHugeRecordDrawsQuickly: a 10 MB record must not stall the screen; its
// detail and raw views are clipped, say so, and stay within the width.
func TestHugeRecordDrawsQuickly(t *testing.T) {
	huge := strings.Repeat("Mozilla/5.0 ", 10<<20/12)
	for name, raw := range map[string]string{
		"indented":   `{"id":"evt_big","type":"login.failed","effective_at":1720807000,"actor":{"type":"session","session":{"user":{"id":"u","email":"a@b.c"},"user_agent":"` + huge + `"}},"login.failed":{"error_message":"x"}}`,
		"first line": `{"id":"` + huge + `","type":"login.failed","effective_at":1720807000}`,
	} {
		t.Run(name, func(t *testing.T) {
			e := decode(t, raw)
			m := feed(t, newTestModel(&pagedSource{name: "file"}, 160, 45), []model.Event{e}, 1)
			for _, keys := range [][]string{nil, {"r"}, {"enter"}, {"enter", "G"}} {
				assertFits(t, screenText(press(t, m, keys...)), 160, 45)
			}
			for _, raw := range []bool{false, true} {
				lines := renderDetail(m.styles, &e, 70, detailView{raw: raw, now: testNow, loc: testZone})
				if len(lines) > 2000 {
					t.Fatalf("the detail of a 10 MB record should be clipped, it has %d lines", len(lines))
				}
				all := strings.Join(strings.Fields(ansi.Strip(strings.Join(lines, "\n"))), " ")
				if !strings.Contains(all, "y copies the whole record") && !strings.Contains(all, "the rest is not drawn") {
					t.Fatalf("a clipped record should say so (raw %v)", raw)
				}
			}
		})
	}
}

func TestWidePayloadTreeIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":"evt_wide","type":"widget.spread","effective_at":1720807000,"widget.spread":{"items":[`)
	for i := range 50_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"n":%d,"m":{"k":[1,2,3,{"x":1}]}}`, i)
	}
	b.WriteString(`]}}`)
	e := decode(t, b.String())
	st := NewStyles(true)
	lines := renderDetail(&st, &e, 80, detailView{now: testNow, loc: testZone})
	if len(lines) > maxTreeLines+100 {
		t.Fatalf("a payload with 50,000 members drew %d lines", len(lines))
	}
	all := ansi.Strip(strings.Join(lines, "\n"))
	if !strings.Contains(all, "more members (r shows the raw record)") {
		t.Fatalf("the tree should say what it left out:\n%s", all[len(all)-400:])
	}
}
