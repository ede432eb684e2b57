// Package sanitize decides what of a string from the API, a file or a
// config may reach a terminal, a message or a spreadsheet. One table says
// which characters are never shown as themselves (Hidden); the rules say
// what is written instead: Display for the screen, OneLine for messages and
// stderr, Escape for text that must stay readable back (CSV cells, copies).
package sanitize

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// hiddenTables are the Unicode properties of characters that act on the
// terminal, reorder or break the text around them, or draw nothing and so
// hide inside a name: controls, format characters (BiDi, zero-width, soft
// hyphen, invisible operators, tags), line and paragraph separators,
// prepending marks, default-ignorables (Hangul fillers, U+034F), variation
// selectors and noncharacters (U+FFFE, U+FFFF).
var hiddenTables = []*unicode.RangeTable{
	unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp,
	unicode.Bidi_Control, unicode.Prepended_Concatenation_Mark,
	unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector,
	unicode.Noncharacter_Code_Point, extras,
}

// extras are what the properties above miss: the whole tag block (some of
// it unassigned) and the letters whose grapheme break property is Prepend,
// which would join the next column's space into their cell.
var extras = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x0d4e, Hi: 0x0d4e, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x111c2, Hi: 0x111c3, Stride: 1},
		{Lo: 0x113d1, Hi: 0x113d1, Stride: 1},
		{Lo: 0x1193f, Hi: 0x11941, Stride: 2},
		{Lo: 0x11a3a, Hi: 0x11a3a, Stride: 1},
		{Lo: 0x11a84, Hi: 0x11a89, Stride: 1},
		{Lo: 0x11d46, Hi: 0x11d46, Stride: 1},
		{Lo: 0x11f02, Hi: 0x11f02, Stride: 1},
		{Lo: 0xe0000, Hi: 0xe007f, Stride: 1},
	},
}

// hiddenSet is hiddenTables as a bit per code point, built once.
var hiddenSet = sync.OnceValue(func() []uint64 {
	set := make([]uint64, (unicode.MaxRune+1)/64)
	for _, t := range hiddenTables {
		for _, r := range t.R16 {
			for c := uint32(r.Lo); c <= uint32(r.Hi); c += uint32(r.Stride) {
				set[c/64] |= 1 << (c % 64)
			}
		}
		for _, r := range t.R32 {
			for c := r.Lo; c <= r.Hi; c += r.Stride {
				set[c/64] |= 1 << (c % 64)
			}
		}
	}
	return set
})

// Hidden reports whether r is never drawn as itself. The joiners and the
// emoji variation selectors are hidden too, but Display keeps them in the
// places scripts and emoji need them (see joins).
func Hidden(r rune) bool {
	if r < 0 || r > unicode.MaxRune {
		return true
	}
	if r < utf8.RuneSelf {
		return r < 0x20 || r == 0x7f
	}
	return hiddenSet()[r/64]&(1<<(uint(r)%64)) != 0
}

// joins reports whether r, a joiner or an emoji variation selector, is
// kept after prev (the last character drawn): joiners after the scripts and
// emoji from U+0590 on that need them, the selectors after a symbol. After
// Latin, Greek or Cyrillic letters they only hide inside a name.
func joins(prev, r rune) bool {
	switch r {
	case 0x200c, 0x200d: // ZWNJ, ZWJ
		return prev >= 0x0590
	case 0xfe0e, 0xfe0f: // text and emoji presentation
		return unicode.Is(unicode.So, prev)
	}
	return false
}

// rule is what a sanitiser writes for a character that is not drawn as
// itself; c is the control or byte, r the rune (RuneError for a bad byte).
type rule interface {
	control(b *strings.Builder, c byte) // C0, DEL
	invalid(b *strings.Builder, c byte) // a byte that is not UTF-8
	c1(b *strings.Builder, c byte)      // U+0080..U+009F
	format(b *strings.Builder, r rune)  // every other hidden character
}

// apply runs s through rule, copying what is drawn as itself.
func apply(s string, ru rule) string {
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
	prev := rune(0)
	if i > 0 {
		prev = rune(s[i-1])
	}
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				ru.control(&b, c)
				prev = 0
			} else {
				b.WriteByte(c)
				prev = rune(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			ru.invalid(&b, c)
			prev = 0
		case r <= 0x9f:
			ru.c1(&b, byte(r))
			prev = 0
		case Hidden(r) && !joins(prev, r):
			ru.format(&b, r)
			prev = 0
		case Hidden(r):
			// A kept selector may be followed by a joiner; a kept
			// joiner by neither, so no run of them hides anything.
			b.WriteString(s[i : i+size])
			prev = 0
			if r >= 0xfe0e {
				prev = 0x0590
			}
		default:
			b.WriteString(s[i : i+size])
			prev = r
		}
		i += size
	}
	return b.String()
}

// Display makes a string safe to draw: nothing it returns can move the
// cursor, change colours, set the title, reach the clipboard, reorder the
// text around it or hide inside it. C0 controls and DEL become their control
// pictures (ESC is "␛", newline "␊"), C1 controls "\x9b", other hidden
// characters "\u202e" or "\U000e0041", and bytes that are not UTF-8 "�".
func Display(s string) string { return apply(s, display{}) }

type display struct{}

func (display) control(b *strings.Builder, c byte) {
	if c == 0x7f {
		b.WriteRune('␡')
		return
	}
	b.WriteRune(0x2400 + rune(c)) // ␀..␟
}
func (display) invalid(b *strings.Builder, _ byte) { b.WriteRune(utf8.RuneError) }
func (display) c1(b *strings.Builder, c byte)      { writeHex(b, c) }
func (display) format(b *strings.Builder, r rune)  { writeUnicode(b, r) }

// Lines is Display for multi-line text shown in a pane: line breaks are
// kept as breaks, tabs become four spaces and every other character is
// treated as Display treats it.
func Lines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Display(strings.ReplaceAll(l, "\t", "    "))
	}
	return lines
}

// Escape writes every character that is not drawn as itself as text a
// person or a parser can read back exactly, as Go writes it: C0, DEL and
// bytes that are not UTF-8 as "\x1b", C1 and other hidden characters as
// "\u009b" or "\u202e". For CSV cells, copied text and query terms, where a
// control picture would lose what the byte was.
func Escape(s string) string { return apply(s, escape{}) }

type escape struct{}

func (escape) control(b *strings.Builder, c byte) { writeHex(b, c) }
func (escape) invalid(b *strings.Builder, c byte) { writeHex(b, c) }
func (escape) c1(b *strings.Builder, c byte)      { writeUnicode(b, rune(c)) }
func (escape) format(b *strings.Builder, r rune)  { writeUnicode(b, r) }

// JSON rewrites a JSON document so that it holds the same values and
// nothing that acts on a terminal or on a shell it is pasted into: every
// hidden character in a string becomes a JSON escape ("\u001b", "\u202e",
// a surrogate pair beyond the Basic Multilingual Plane), a byte that is not
// UTF-8 "\ufffd" (what a JSON decoder reads it as), and a line break or tab
// between tokens a space, so the document is one line. Valid JSON holds no
// raw C0 control inside a string, so every one seen is white space.
func JSON(raw []byte) []byte {
	s := string(raw)
	if out := apply(s, jsonRule{}); out != s {
		return []byte(out)
	}
	return raw
}

type jsonRule struct{}

func (jsonRule) control(b *strings.Builder, c byte) {
	if c == '\t' || c == '\n' || c == '\r' {
		b.WriteByte(' ')
		return
	}
	writeJSONEscape(b, rune(c))
}
func (jsonRule) invalid(b *strings.Builder, _ byte) { writeJSONEscape(b, utf8.RuneError) }
func (jsonRule) c1(b *strings.Builder, c byte)      { writeJSONEscape(b, rune(c)) }
func (jsonRule) format(b *strings.Builder, r rune)  { writeJSONEscape(b, r) }

func writeJSONEscape(b *strings.Builder, r rune) {
	if r > 0xffff {
		hi, lo := utf16.EncodeRune(r)
		writeUnicode(b, hi)
		writeUnicode(b, lo)
		return
	}
	writeUnicode(b, r)
}

// Cell makes a string safe as a spreadsheet cell and for a terminal that
// prints the file: hidden characters escaped as Escape does (so no raw CR,
// ESC or 0x9b byte survives), and a single quote in front of every field a
// spreadsheet could run as a formula. A field is the whole cell or a part
// of it after a "," or ";", where a spreadsheet in another locale would
// split it; it is a formula when its first character after white space
// (including no-break and ideographic spaces) is =, +, -, @ or their
// full-width forms, as OWASP advises for CSV injection.
func Cell(s string) string {
	s = Escape(s)
	var b strings.Builder
	done, start := 0, 0 // s[:done] is in b; s[start:] is the field being read
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ',' && s[i] != ';' {
			continue
		}
		lead := start + len(s[start:i]) - len(strings.TrimLeftFunc(s[start:i], unicode.IsSpace))
		if r, _ := utf8.DecodeRuneInString(s[lead:i]); isFormulaStart(r) {
			b.WriteString(s[done:start])
			b.WriteByte('\'')
			done = start
		}
		start = i + 1
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

func isFormulaStart(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '＝', '＋', '－', '＠':
		return true
	}
	return false
}

// OneLine keeps a message to one printable line for stderr or a status
// line: line breaks and tabs become spaces, runs of white space one space,
// every other hidden character is dropped (so a key split by one is whole
// again for the redactor after it), bytes that are not UTF-8 become "�".
func OneLine(s string) string {
	s = apply(s, oneLine{})
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

type oneLine struct{}

func (oneLine) control(b *strings.Builder, c byte) {
	if c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' {
		b.WriteByte(' ')
	}
}
func (oneLine) invalid(b *strings.Builder, _ byte) { b.WriteRune(utf8.RuneError) }
func (oneLine) c1(b *strings.Builder, c byte) {
	if c == 0x85 { // NEL
		b.WriteByte(' ')
	}
}
func (oneLine) format(b *strings.Builder, r rune) {
	if unicode.In(r, unicode.Zl, unicode.Zp) {
		b.WriteByte(' ')
	}
}

func writeHex(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigit(c >> 4))
	b.WriteByte(hexDigit(c))
}

// writeUnicode writes r as Go writes it: \u and 4 hex digits, or \U and 8
// beyond the Basic Multilingual Plane.
func writeUnicode(b *strings.Builder, r rune) {
	top := 12
	if r > 0xffff {
		b.WriteString(`\U`)
		top = 28
	} else {
		b.WriteString(`\u`)
	}
	for shift := top; shift >= 0; shift -= 4 {
		b.WriteByte(hexDigit(byte(r >> shift)))
	}
}

func hexDigit(n byte) byte { return "0123456789abcdef"[n&0xf] }
