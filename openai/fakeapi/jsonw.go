package fakeapi

import "strconv"

// jw appends compact JSON to a byte slice without reflection, so a million
// records build in well under a second. Commas are placed by looking at the
// previous byte: none after an opening brace or bracket or a key's colon.
type jw struct{ b []byte }

func (w *jw) sep() {
	if n := len(w.b); n > 0 {
		switch w.b[n-1] {
		case '{', '[', ':':
		default:
			w.b = append(w.b, ',')
		}
	}
}

func (w *jw) open()       { w.sep(); w.b = append(w.b, '{') }
func (w *jw) close()      { w.b = append(w.b, '}') }
func (w *jw) openArray()  { w.sep(); w.b = append(w.b, '[') }
func (w *jw) closeArray() { w.b = append(w.b, ']') }

// key writes a member name followed by a colon.
func (w *jw) key(k string) {
	w.sep()
	w.b = appendJSONString(w.b, k)
	w.b = append(w.b, ':')
}

func (w *jw) str(s string) { w.sep(); w.b = appendJSONString(w.b, s) }
func (w *jw) int(n int64)  { w.sep(); w.b = strconv.AppendInt(w.b, n, 10) }
func (w *jw) bool(v bool)  { w.sep(); w.b = strconv.AppendBool(w.b, v) }
func (w *jw) null()        { w.sep(); w.b = append(w.b, "null"...) }
func (w *jw) float(f float64) {
	w.sep()
	w.b = strconv.AppendFloat(w.b, f, 'f', -1, 64)
}

func (w *jw) field(k, v string)          { w.key(k); w.str(v) }
func (w *jw) intField(k string, v int64) { w.key(k); w.int(v) }

func (w *jw) strings(k string, vs []string) {
	w.key(k)
	w.openArray()
	for _, v := range vs {
		w.str(v)
	}
	w.closeArray()
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as a JSON string: quotes, backslashes and C0
// controls are escaped; everything else (C1 controls and bidi marks
// included) is kept as UTF-8, which JSON allows.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// JSONString is s quoted as this server quotes it: a stray byte stays a
// stray byte, as a hostile server would send it; tests write records with it.
func JSONString(s string) string { return string(appendJSONString(nil, s)) }
