package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/charmbracelet/x/ansi"
)

// timeMode is how the list shows when an event happened.
type timeMode int

const (
	timeLocal timeMode = iota
	timeUTC
	timeRelative
	timeModes
)

func (t timeMode) String() string {
	return [...]string{"local", "UTC", "relative"}[t]
}

const (
	localLayout = "2006-01-02 15:04:05"
	utcLayout   = "2006-01-02 15:04:05Z"
	// On narrow terminals the date loses its year and the time its seconds.
	compactLocalLayout = "01-02 15:04"
	compactUTCLayout   = "01-02 15:04Z"
)

// formatTime renders at for the list column in the given mode.
func formatTime(at time.Time, mode timeMode, compact bool, now time.Time, loc *time.Location) string {
	switch {
	case mode == timeRelative:
		return relative(at, now)
	case mode == timeUTC && compact:
		return at.UTC().Format(compactUTCLayout)
	case mode == timeUTC:
		return at.UTC().Format(utcLayout)
	case compact:
		return at.In(loc).Format(compactLocalLayout)
	}
	return at.In(loc).Format(localLayout)
}

// timeWidth is the width of the time column for a mode.
func timeWidth(mode timeMode, compact bool) int {
	switch {
	case mode == timeRelative:
		return 9
	case mode == timeUTC && compact:
		return len(compactUTCLayout)
	case mode == timeUTC:
		return len(utcLayout)
	case compact:
		return len(compactLocalLayout)
	}
	return len(localLayout)
}

// compactBelow is the list width under which times are drawn compact.
const compactBelow = 72

// relative says how long ago at was, in the largest whole unit ("5m ago").
// It reads now only to the minute, from the middle of it: the list and the
// detail are redrawn once a minute and cached until then, so every place
// that says it agrees. It counts whole seconds: records may be farther
// apart than a time.Duration holds, where now.Sub would saturate.
func relative(at, now time.Time) string {
	d := now.Unix() - now.Unix()%60 + 30 - at.Unix()
	suffix := " ago"
	if d < 0 {
		d, suffix = -d, " ahead"
	}
	var n int64
	var unit string
	switch {
	case d < 60:
		return "just now"
	case d < 3600:
		n, unit = d/60, "m"
	case d < 48*3600:
		n, unit = d/3600, "h"
	case d < 365*24*3600:
		n, unit = d/(24*3600), "d"
	default:
		n, unit = d/(365*24*3600), "y"
	}
	return strconv.FormatInt(n, 10) + unit + suffix
}

// fit truncates s (already sanitised, without escape sequences) to width
// cells with an ellipsis and pads it with spaces to exactly width.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := cellWidth(s)
	if w > width {
		s = cut(s, width)
		w = cellWidth(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// cut is the one way text is cut to width cells: it ends with an ellipsis
// when it is cut, so a cut value never looks whole. SGR sequences are kept.
func cut(s string, width int) string { return ansi.Truncate(s, width, "…") }

// cellWidth is ansi.StringWidth with a fast path for plain ASCII, which
// most audit-log text is.
func cellWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// styledWidth is the width of a line that may hold SGR sequences, with a
// fast path for ASCII text between them; anything else is measured by ansi.
func styledWidth(s string) int {
	w := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			i += 2
			for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
				i++
			}
		case c >= 0x20 && c < 0x7f:
			w++
		default:
			return ansi.StringWidth(s)
		}
	}
	return w
}

// commas formats n with thousands separators, as people read counts.
func commas(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + commas(-n)
	}
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// plural returns "1 event" or "2 events".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%s %ss", commas(n), word)
}

// describeFilter says in a few words what the server-side query asks for.
func describeFilter(f model.Filter) string {
	var parts []string
	add := func(label string, v []string) {
		switch len(v) {
		case 0:
		case 1:
			parts = append(parts, label+" "+v[0])
		default:
			parts = append(parts, fmt.Sprintf("%s %s +%d", label, v[0], len(v)-1))
		}
	}
	add("type", f.Types)
	add("actor", append(append([]string(nil), f.ActorIDs...), f.ActorEmails...))
	add("project", f.ProjectIDs)
	add("resource", f.ResourceIDs)
	if !f.Since.IsZero() {
		parts = append(parts, "since "+f.Since.UTC().Format(time.RFC3339))
	}
	if !f.Until.IsZero() {
		parts = append(parts, "until "+f.Until.UTC().Format(time.RFC3339))
	}
	if f.TenantOnly {
		parts = append(parts, "tenant only")
	}
	return strings.Join(parts, ", ")
}
