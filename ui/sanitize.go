package ui

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes a string from the API or a file safe to draw: escape
// sequences, C0 and C1 controls, DEL, line and paragraph separators and
// BiDi overrides/isolates become visible placeholders, and invalid UTF-8
// becomes U+FFFD. Nothing it returns can move the cursor, change colours,
// set the title, reach the clipboard or reorder the text around it.
//
// C0 controls and DEL become their Unicode control pictures (ESC is "␛",
// newline "␊"); C1 controls and invisible format characters become text such
// as "\x9b" or "\u202e", so the reader sees that they were there.
func Sanitize(s string) string {
	// Fast path: printable ASCII is by far the most common input.
	i := 0
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20:
				b.WriteRune(0x2400 + rune(c)) // ␀..␟
			case c == 0x7f:
				b.WriteRune('␡')
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r >= 0x80 && r <= 0x9f:
			b.WriteString(`\x`)
			b.WriteByte(hexDigit(byte(r) >> 4))
			b.WriteByte(hexDigit(byte(r) & 0xf))
		case unsafeFormat(r):
			writeUnicodeEscape(&b, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SanitizeLines is Sanitize for multi-line text shown in the detail pane:
// newlines are kept as line breaks, tabs become spaces and every other
// control is replaced as Sanitize does.
func SanitizeLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Sanitize(strings.ReplaceAll(l, "\t", "    "))
	}
	return lines
}

// unsafeFormat reports whether r is an invisible character that changes how
// the surrounding text is ordered or broken, or hides inside a name: BiDi
// embeddings, overrides, isolates and marks, line/paragraph separators, the
// BOM, zero-width spaces and prepending marks. Joiners stay: scripts and
// emoji need them.
func unsafeFormat(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e: // LRE RLE PDF LRO RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI RLI FSI PDI
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c: // LRM RLM ALM
		return true
	case r == 0x2028 || r == 0x2029 || r == 0xfeff:
		return true
	case r == 0x200b || r == 0x2060 || r == 0x180e: // invisible spaces that hide in names
		return true
	case r >= 0xfff9 && r <= 0xfffb: // interlinear annotation controls
		return true
	}
	return prepends(r)
}

// prepends reports whether r joins the character after it into one cell
// (grapheme break property Prepend, UAX #29): at the end of a value it
// would swallow the space the UI draws next and shift every column after.
func prepends(r rune) bool {
	switch {
	case r < 0x0600 || r > 0x11f02:
		return false
	case r <= 0x0605, r == 0x06dd, r == 0x070f, r == 0x0890, r == 0x0891, r == 0x08e2, r == 0x0d4e,
		r == 0x110bd, r == 0x110cd, r == 0x111c2, r == 0x111c3, r == 0x1193f, r == 0x11941,
		r == 0x11a3a, r >= 0x11a84 && r <= 0x11a89, r == 0x11d46, r == 0x11f02:
		return true
	}
	return false
}

// writeUnicodeEscape writes r as Go writes it: \u and 4 hex digits, or \U
// and 8 beyond the Basic Multilingual Plane.
func writeUnicodeEscape(b *strings.Builder, r rune) {
	top := 12
	if r > 0xffff {
		b.WriteString(`\U`)
		top = 28
	} else {
		b.WriteString(`\u`)
	}
	for shift := top; shift >= 0; shift -= 4 {
		b.WriteByte(hexDigit(byte(r>>shift) & 0xf))
	}
}

func hexDigit(n byte) byte { return "0123456789abcdef"[n&0xf] }
