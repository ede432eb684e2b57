package ui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
)

// The list and the detail say the same "ago" for one event, though they
// are drawn at different seconds of the minute.
func TestListAndDetailAgreeOnAgo(t *testing.T) {
	evs := fixtureEvents(t)
	// The newest event at :30 of a minute, the clock 55m30s later and
	// ticking on within its minute: 55m ago at :00, 56m ago at :30.
	at := evs[0].EffectiveAt.Truncate(time.Minute).Add(30 * time.Second)
	if at.Before(evs[0].EffectiveAt) {
		at = at.Add(time.Minute)
	}
	evs[0].EffectiveAt = at
	start, calls := at.Add(55*time.Minute+30*time.Second), 0
	clock := func() time.Time {
		calls++
		return start.Add(time.Duration(min(calls*7, 59)) * time.Second)
	}
	m := newTestModel(&pagedSource{name: "demo"}, 200, 50)
	m.opts.Now, m.common.now = clock, clock
	m = press(t, feed(t, m, evs, 100), "z", "z")
	s := screenText(m)
	lines := strings.Split(s, "\n")
	ago := regexp.MustCompile(`\d+[smhdy] ago`)
	var row, detail string
	for _, l := range lines {
		if row == "" && strings.Contains(l, evs[0].Type) {
			row = ago.FindString(l)
		}
		if i := strings.Index(l, "relative"); i >= 0 {
			detail = ago.FindString(l[i:])
		}
	}
	if row == "" || row != detail {
		t.Fatalf("the list says %q and the detail %q:\n%s", row, detail, s)
	}
}

// With no event selected the detail pane's header says no line count.
func TestDetailHeaderWithoutSelection(t *testing.T) {
	m := press(t, loaded(t, 80, 40), "/")
	m = typeText(t, m, "nothing-matches-this")
	s := screenText(m)
	if !strings.Contains(s, "Select an event") {
		t.Fatalf("no empty detail pane:\n%s", s)
	}
	if regexp.MustCompile(`detail \d+-\d+ of \d+`).MatchString(s) {
		t.Fatalf("the detail header counts lines of no event:\n%s", s)
	}
}

// A sign-in's payload is {}: the detail has no Payload heading over nothing.
func TestNoEmptyPayloadHeading(t *testing.T) {
	e := decode(t, `{"id":"audit_log-empty","type":"login.succeeded","effective_at":1720800000,"actor":{"type":"session","session":{"user":{"id":"user-1","email":"a@example.com"},"ip_address":"192.0.2.1"}},"login.succeeded":{}}`)
	m := feed(t, newTestModel(&pagedSource{name: "demo"}, 200, 50), []model.Event{e}, 100)
	s := screenText(m)
	if !strings.Contains(s, "a@example.com") {
		t.Fatalf("the event is not shown:\n%s", s)
	}
	if strings.Contains(s, "Payload") {
		t.Fatalf("an empty payload has a heading:\n%s", s)
	}
}

// A line cut at the screen's edge ends with an ellipsis, never bare.
func TestCutLinesEndWithAnEllipsis(t *testing.T) {
	for _, w := range []int{80, 200} {
		m := press(t, loaded(t, w, 24), "c")
		title := strings.TrimRight(strings.Split(screenText(m), "\n")[1], " ")
		whole := strings.HasSuffix(title, "esc closes")
		if w == 200 && !whole || w == 80 && (whole || !strings.HasSuffix(title, "…")) {
			t.Errorf("at %d columns the facets title is %q", w, title)
		}
	}
}

// At 80 columns the histogram's bars fill the strip, its legend stays,
// and its right edge is labelled no later than now.
func TestHistogramUsesTheWidth(t *testing.T) {
	for _, w := range []int{80, 120, 200} {
		m := loaded(t, w, 24)
		lines := strings.Split(screenText(m), "\n")
		bars, axis := strings.TrimRight(lines[1], " "), lines[2]
		if n := len([]rune(bars)); n < w-2 {
			t.Errorf("%d columns: the bars take %d:\n%s", w, n, bars)
		}
		if !strings.Contains(axis, "Z zooms") {
			t.Errorf("%d columns: the axis lost its legend: %q", w, axis)
		}
		fields := strings.Fields(strings.ReplaceAll(axis, "▲", ""))
		last := strings.Join(fields[len(fields)-3:], " ")
		at, err := time.ParseInLocation("Jan 02 15:04", last, testZone)
		if err != nil {
			if at, err = time.ParseInLocation("2006-01-02", fields[len(fields)-1], testZone); err != nil {
				t.Fatalf("%d columns: no time at the right edge of %q", w, axis)
			}
		} else {
			at = at.AddDate(testNow.Year(), 0, 0)
		}
		if at.After(testNow) {
			t.Errorf("%d columns: the right edge says %s, after now (%s)", w, at, testNow.In(testZone))
		}
	}
}

// The facets say when they count only the loaded events, more to come.
func TestFacetsSayWhatTheyCount(t *testing.T) {
	evs := fixtureEvents(t)
	m := newTestModel(&pagedSource{name: "demo"}, 120, 30)
	p := model.Page{Events: evs[:100], Number: 1, HasMore: true, FirstID: evs[0].ID, LastID: evs[99].ID}
	nm, cmd := m.Update(pageMsg{gen: m.stream.job.gen, pages: []model.Page{p}})
	m = press(t, drain(t, nm.(*Model), cmd), "c")
	if s := screenText(m); !strings.Contains(s, "Facets of 100 events · of 100 loaded; more on the server") {
		t.Fatalf("the counts do not say they cover the loaded events only:\n%s", s)
	}
	m = press(t, feed(t, press(t, m, "esc"), evs[100:], 100), "c")
	if s := screenText(m); strings.Contains(s, "more on the server") || !strings.Contains(s, "Facets of 150 events") {
		t.Fatalf("everything is loaded, yet:\n%s", s)
	}
}
