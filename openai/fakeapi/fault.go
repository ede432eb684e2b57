package fakeapi

import (
	"bytes"
	"compress/gzip"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind is a way the endpoint can misbehave.
type FaultKind int

const (
	// RateLimited answers 429 with the spec's ErrorResponse and, when
	// Fault.RetryAfter is set, a Retry-After header in whole seconds.
	RateLimited FaultKind = iota + 1
	// ServerError answers 500.
	ServerError
	// Unavailable answers 503.
	Unavailable
	// DropMidBody sends the status line, headers and half of the page's body,
	// then closes the connection.
	DropMidBody
	// MalformedBody answers 200 with the page's JSON cut in half.
	MalformedBody
	// WrongShape answers 200 with valid JSON whose "data" is an object.
	WrongShape
	// EmptyPageHasMore answers 200 with no events, has_more true and a
	// last_id equal to the request's after cursor (null without one), so
	// asking again with after=last_id continues where paging was.
	EmptyPageHasMore
	// RepeatLastID answers with the previous page again: the events up to
	// and including the after cursor, with last_id equal to that cursor. A
	// request without an after cursor is answered normally.
	RepeatLastID
	// Slow waits Fault.Delay (one second if unset) and then answers normally.
	Slow
	// ConnectionReset closes the connection without answering.
	ConnectionReset
	// Redirect answers 302 Found to Fault.Location with the request's path
	// and query, as a server handing the client to another host would.
	Redirect
	// Alternate answers pages A (the two newest events) and B (the next
	// two) by turns, each under a fresh cursor with has_more true, as a
	// server looping over its first pages would.
	Alternate
	// DuplicateInPage answers the page with its first event twice.
	DuplicateInPage
	// GzipBomb answers 200 with Content-Encoding gzip: about a thousandth
	// of Fault.Size (3 GiB if unset) on the wire, inflating to a page of
	// one event whose note is Size bytes long, made as it is sent.
	GzipBomb
)

var faultNames = map[FaultKind]string{
	RateLimited: "RateLimited", ServerError: "ServerError", Unavailable: "Unavailable",
	DropMidBody: "DropMidBody", MalformedBody: "MalformedBody", WrongShape: "WrongShape",
	EmptyPageHasMore: "EmptyPageHasMore", RepeatLastID: "RepeatLastID", Slow: "Slow",
	ConnectionReset: "ConnectionReset", Redirect: "Redirect",
	Alternate: "Alternate", DuplicateInPage: "DuplicateInPage", GzipBomb: "GzipBomb",
}

func (k FaultKind) String() string {
	if s, ok := faultNames[k]; ok {
		return s
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is one misbehaviour to inject. It fires either on a request number
// or at a rate; requests are numbered from 1 in arrival order since the
// server was created (Requests()[n-1] is request n), whatever their path or
// key; a fault that falls on a request answered 401, 404 or 405 is spent
// without showing. When several faults fire on one request the first listed
// wins.
type Fault struct {
	Kind FaultKind
	// OnRequest is the 1-based number of the first request to fault; 0 means
	// the fault fires at Rate instead.
	OnRequest int
	// Rate is the probability (0-1) that any one request faults, drawn from
	// a pseudo-random sequence fixed by Seed, so a run repeats exactly.
	Rate float64
	Seed int64
	// Times is how many consecutive requests fault from OnRequest (0 means
	// 1); with Rate it caps how many times the fault fires (0 means no cap).
	Times int
	// RetryAfter is sent with RateLimited as a Retry-After header rounded up
	// to whole seconds; zero sends no header.
	RetryAfter time.Duration
	// Delay is waited before the fault acts (for Slow, before the answer).
	Delay time.Duration
	// Location is where Redirect sends the client: a scheme and host such
	// as http://127.0.0.1:8080.
	Location string
	// Size is how many bytes GzipBomb's body inflates to; 0 means 3 GiB.
	Size int64
}

// faultState counts how often each fault fired; guarded by Server.mu.
type faultState struct {
	faults []Fault
	fired  []int
}

func newFaultState(faults []Fault) *faultState {
	return &faultState{faults: append([]Fault(nil), faults...), fired: make([]int, len(faults))}
}

// pick returns the fault for request number n, if any.
func (fs *faultState) pick(n int) (Fault, bool) {
	for i, f := range fs.faults {
		var fire bool
		if f.OnRequest > 0 {
			fire = n >= f.OnRequest && n < f.OnRequest+max(f.Times, 1)
		} else if f.Rate > 0 && (f.Times <= 0 || fs.fired[i] < f.Times) {
			fire = unitFloat(uint64(f.Seed), uint64(i), uint64(n)) < f.Rate
		}
		if fire {
			fs.fired[i]++
			if f.Kind == Slow && f.Delay <= 0 {
				f.Delay = time.Second
			}
			return f, true
		}
	}
	return Fault{}, false
}

// unitFloat maps (seed, fault, request) to [0, 1) deterministically.
func unitFloat(seed, fault, n uint64) float64 {
	h := splitmix(splitmix(splitmix(seed)^fault) ^ n)
	return float64(h>>11) / (1 << 53)
}

// splitmix is the SplitMix64 finaliser: a cheap, well-mixed bijection.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// answerEarly handles the faults that replace the answer before the query is
// looked at; it reports whether it answered.
func (f Fault) answerEarly(w http.ResponseWriter, r *http.Request) bool {
	switch f.Kind {
	case Redirect:
		http.Redirect(w, r, f.Location+r.URL.RequestURI(), http.StatusFound)
	case RateLimited:
		if f.RetryAfter > 0 {
			secs := int(math.Ceil(f.RetryAfter.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		writeError(w, http.StatusTooManyRequests, "Rate limit reached for requests to the audit log. Please try again later.", "requests", "", "rate_limit_exceeded")
	case ServerError:
		writeError(w, http.StatusInternalServerError, "The server had an error while processing your request. Sorry about that!", "server_error", "", "")
	case Unavailable:
		writeError(w, http.StatusServiceUnavailable, "The server is temporarily unavailable. Please try again later.", "server_error", "", "")
	case ConnectionReset:
		abort(w, true)
	case GzipBomb:
		gzipBomb(w, f.Size)
	default:
		return false
	}
	return true
}

// gzipBomb writes a valid page of size bytes once decompressed. Gzip
// members one after another read as one stream, so one member holding a
// mebibyte of filler, sent again and again, makes the whole body without
// holding it.
func gzipBomb(w http.ResponseWriter, size int64) {
	if size <= 0 {
		size = 3 << 30
	}
	head := `{"object":"list","data":[{"id":"audit_log-bomb","type":"login.failed","effective_at":1,"note":"`
	tail := `"}],"first_id":"audit_log-bomb","last_id":"audit_log-bomb","has_more":false}`
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(gzipped([]byte(head))); err != nil {
		return
	}
	left := size - int64(len(head)+len(tail))
	for ; left >= 1<<20; left -= 1 << 20 {
		if _, err := w.Write(bombFill()); err != nil {
			return // the client stopped reading
		}
	}
	_, _ = w.Write(gzipped([]byte(strings.Repeat("x", int(max(left, 0))) + tail)))
}

// bombFill is one gzip member of a mebibyte of x, about a kibibyte long.
var bombFill = sync.OnceValue(func() []byte { return gzipped(bytes.Repeat([]byte("x"), 1<<20)) })

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	z, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	_, _ = z.Write(b)
	_ = z.Close()
	return out.Bytes()
}

// answerPage handles the faults that spoil a page already computed; it
// reports whether it answered.
func (f Fault) answerPage(w http.ResponseWriter, s *Server, q listQuery, p page) bool {
	switch f.Kind {
	case DropMidBody:
		body := p.encode(s.events)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush()
		abort(w, false)
	case MalformedBody:
		body := p.encode(s.events)
		writeJSON(w, http.StatusOK, body[:len(body)/2])
	case WrongShape:
		b := []byte(`{"object":"list","data":{"audit_log":`)
		if len(p.idx) > 0 {
			b = append(b, s.events[p.idx[0]].Raw...)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `},"first_id":null,"last_id":null,"has_more":false}`...)
		writeJSON(w, http.StatusOK, b)
	case EmptyPageHasMore:
		b := []byte(`{"object":"list","data":[],"first_id":null,"last_id":`)
		b = appendNullableString(b, q.after)
		b = append(b, `,"has_more":true}`...)
		writeJSON(w, http.StatusOK, b)
	case Alternate:
		k := 0 // grows by 11 a request: each last_id is a cursor not sent before
		if q.after != "" {
			k = s.index[q.after] + 1
		}
		if len(s.events) < 4 || k+10 >= len(s.events) {
			return false
		}
		start := 2 * (k % 2)
		b := page{idx: []int{start, start + 1}}.encode(s.events)
		b = bytes.Replace(b, []byte(`"last_id":"`+s.events[start+1].ID+`","has_more":false`),
			[]byte(`"last_id":"`+s.events[k+10].ID+`","has_more":true`), 1)
		writeJSON(w, http.StatusOK, b)
	case DuplicateInPage:
		if len(p.idx) == 0 {
			return false
		}
		p.idx = append([]int{p.idx[0]}, p.idx...)
		writeJSON(w, http.StatusOK, p.encode(s.events))
	case RepeatLastID:
		if q.after == "" {
			return false
		}
		prev := q
		prev.after, prev.before, prev.limit = "", q.after, q.limit-1
		var rp page
		if prev.limit > 0 {
			rp = s.page(prev)
		}
		rp.idx = append(rp.idx, s.index[q.after])
		rp.hasMore = true
		writeJSON(w, http.StatusOK, rp.encode(s.events))
	default:
		return false
	}
	return true
}

// abort ends the exchange by closing the connection; reset makes the close
// an RST rather than an orderly FIN.
func abort(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 or a recorder: the server's own way to drop the exchange.
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
