package openai

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/auditui/auditui/model/sanitize"
)

// redactMark replaces the admin key wherever a server or the network
// repeats it. It needs no quoting in a JSON string, so a page stays valid.
const redactMark = "[redacted]"

// gramLen is the shortest run of the key's secret that is redacted.
const gramLen = 12

// redactor finds the admin key in text that came back: whole or any run of
// gramLen characters of its secret part, in base64 (standard or URL
// alphabet, at any alignment), percent- or JSON-escaped, or split by
// invisible characters and white space a reader would not see.
type redactor struct {
	n     int                 // run length looked for
	grams map[string]struct{} // every run of n bytes of each form
	bloom []uint64            // one bit per hash of a gram, to skip most lookups
	pow   uint64              // hashBase^(n-1), to drop the oldest byte
}

const hashBase = 1099511628211

// newRedactor returns nil for no key, which redacts nothing.
func newRedactor(key string) *redactor {
	if key == "" {
		return nil
	}
	secret := key
	for _, p := range []string{"sk-admin-", "sk-"} {
		if s, ok := strings.CutPrefix(key, p); ok && s != "" {
			secret = s
			break
		}
	}
	r := &redactor{n: min(gramLen, len(key)), grams: map[string]struct{}{}, bloom: make([]uint64, 1<<16/64)}
	r.pow = 1
	for range r.n - 1 {
		r.pow *= hashBase
	}
	forms := []string{key} // its runs include every run of the secret, and the prefix goes with them
	for o := range 3 {
		for _, part := range []string{key, secret} {
			if o >= len(part) {
				continue
			}
			whole := part[o : o+(len(part)-o)/3*3] // the groups encoded the same wherever the key sits
			forms = append(forms, base64.RawStdEncoding.EncodeToString([]byte(whole)), base64.RawURLEncoding.EncodeToString([]byte(whole)))
		}
	}
	for _, f := range forms {
		for i := 0; i+r.n <= len(f); i++ {
			g := f[i : i+r.n]
			r.grams[g] = struct{}{}
			h := uint64(0)
			for j := 0; j < len(g); j++ {
				h = h*hashBase + uint64(g[j])
			}
			r.bloom[bloomBit(h)/64] |= 1 << (bloomBit(h) % 64)
		}
	}
	return r
}

func bloomBit(h uint64) uint64 { return (h * 0x9e3779b97f4a7c15) >> 48 }

// clean makes text from the server or the network fit in a one-line
// sentence: control and invisible characters dropped first, so none can
// split the key, then the key redacted, then capped.
func (r *redactor) clean(s string) string {
	s = r.Text(sanitize.OneLine(s))
	if head, cut := sanitize.CutChars(s, 300); cut {
		return head + "…"
	}
	return s
}

// Text redacts s; what is not the key is kept as it is.
func (r *redactor) Text(s string) string {
	if r == nil {
		return s
	}
	spans := r.spans([]byte(s))
	if spans == nil {
		return s
	}
	return string(replaceSpans([]byte(s), spans))
}

// Bytes redacts b, returning b itself when the key is not in it. Spans
// never cross a JSON string's quotes (no form of the key holds one) and
// cover escapes whole, so a valid page stays valid.
func (r *redactor) Bytes(b []byte) []byte {
	if r == nil {
		return b
	}
	spans := r.spans(b)
	if spans == nil {
		return b
	}
	return replaceSpans(b, spans)
}

func replaceSpans(b []byte, spans [][2]int) []byte {
	var out bytes.Buffer
	out.Grow(len(b))
	last := 0
	for _, sp := range spans {
		out.Write(b[last:sp[0]])
		out.WriteString(redactMark)
		last = sp[1]
	}
	out.Write(b[last:])
	return out.Bytes()
}

// spans reads b as a reader sees it (escapes decoded, invisible characters
// and white space dropped) and returns the byte ranges of b whose reading
// holds a run of the key, merged and in order.
func (r *redactor) spans(b []byte) [][2]int {
	var ring [gramLen]byte
	var from [gramLen]int // where each byte in the ring starts in b
	var spans [][2]int
	var scratch [utf8.UTFMax]byte
	var one [1]byte
	h, seen, slot := uint64(0), 0, 0 // slot: where the next byte goes, the oldest once full
	for i := 0; i < len(b); {
		var c []byte
		size, keep := 1, true
		if x := b[i]; x > ' ' && x < 0x7f && x != '\\' && x != '%' {
			one[0] = x // most of a page: plain ASCII, read as it is
			c = one[:]
		} else {
			c, size, keep = project(b[i:], &scratch)
		}
		if !keep {
			i += size
			continue
		}
		for _, x := range c {
			if seen >= r.n {
				h -= uint64(ring[slot]) * r.pow
			}
			h = h*hashBase + uint64(x)
			ring[slot], from[slot] = x, i
			if slot++; slot == r.n {
				slot = 0
			}
			if seen++; seen < r.n || r.bloom[bloomBit(h)/64]&(1<<(bloomBit(h)%64)) == 0 {
				continue
			}
			var win [gramLen]byte
			for j := range r.n {
				win[j] = ring[(slot+j)%r.n]
			}
			if _, ok := r.grams[string(win[:r.n])]; !ok {
				continue
			}
			start, end := from[slot], i+size
			if n := len(spans); n > 0 && start <= spans[n-1][1] {
				spans[n-1][1] = end
			} else {
				spans = append(spans, [2]int{start, end})
			}
		}
		i += size
	}
	return spans
}

// project reads one unit at the start of b as a reader sees it: the bytes
// it stands for, how many bytes of b it takes, and false when it shows
// nothing (controls, invisible characters, white space, bad bytes).
func project(b []byte, scratch *[utf8.UTFMax]byte) ([]byte, int, bool) {
	c := b[0]
	switch {
	case c == '\\' && len(b) >= 6 && b[1] == 'u':
		if v, ok := hex(b[2:6]); ok {
			return shown(rune(v), 6, scratch)
		}
	case c == '\\' && len(b) >= 2:
		switch b[1] {
		case '"', '\\', '/':
			return b[1:2], 2, true
		case 'b', 'f', 'n', 'r', 't':
			return nil, 2, false
		}
	case c == '%' && len(b) >= 3:
		if v, ok := hex(b[1:3]); ok {
			return shown(rune(v), 3, scratch)
		}
	case c < utf8.RuneSelf:
		return b[:1], 1, c > ' ' && c != 0x7f
	}
	if c < utf8.RuneSelf {
		return b[:1], 1, true
	}
	r, size := utf8.DecodeRune(b)
	if r == utf8.RuneError && size == 1 {
		return nil, 1, false
	}
	if _, _, keep := shown(r, size, scratch); !keep {
		return nil, size, false
	}
	return b[:size], size, true
}

// shown is rune r, read from size bytes, as a reader sees it, encoded in
// scratch.
func shown(r rune, size int, scratch *[utf8.UTFMax]byte) ([]byte, int, bool) {
	if r <= ' ' || r == 0x7f || sanitize.Hidden(r) || unicode.IsSpace(r) || (r >= 0xd800 && r <= 0xdfff) {
		return nil, size, false
	}
	return scratch[:utf8.EncodeRune(scratch[:], r)], size, true
}

func hex(b []byte) (uint32, bool) {
	v := uint32(0)
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | uint32(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | uint32(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | uint32(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}
