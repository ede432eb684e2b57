// Package fakeapi is an in-process fake of the OpenAI audit-log endpoint
// (GET /v1/organization/audit_logs) that behaves as the published spec
// describes, with fault injection, a request recorder, a deterministic
// synthetic organisation and a loopback demo server. Tests, the demo mode and
// the benchmarks use it; nothing in it talks to the real API.
package fakeapi

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/auditui/auditui/model"
)

// DefaultKey is the admin key a Server accepts unless WithKey says otherwise.
const DefaultKey = "sk-admin-fakeapi-test-key"

// Paths the endpoint answers on: the SDK's base URL ends in /v1, but a base
// URL without it is accepted too.
const (
	Path       = "/v1/organization/audit_logs"
	PathNoV1   = "/organization/audit_logs"
	defaultLim = 20 // the spec's default page size
	maxLim     = 100
)

// Request is one request the server received, recorded for tests.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header // includes Authorization as sent; tests only, never log it
	At     time.Time
}

// Option configures a Server.
type Option func(*Server)

// WithKey sets the only admin key the server accepts.
func WithKey(key string) Option { return func(s *Server) { s.key = key } }

// WithLatency delays every answer by d (the request's context still ends it).
func WithLatency(d time.Duration) Option { return func(s *Server) { s.latency = d } }

// WithFaults sets the faults to inject; see Fault.
func WithFaults(faults ...Fault) Option {
	return func(s *Server) { s.faults = newFaultState(faults) }
}

// Server is an http.Handler serving the audit-log list endpoint over a fixed
// set of events. It is safe for concurrent use.
type Server struct {
	key     string
	latency time.Duration
	// jitter adds a random extra delay in [0, jitter) on top of latency
	// (the demo's "realistic" latency); zero in tests.
	jitter time.Duration

	// data guards the organisation, which Add grows while requests read it.
	data   sync.RWMutex
	events []model.Event   // newest first
	index  map[string]int  // id -> position in events
	known  map[string]bool // event types the endpoint accepts in event_types[]

	mu       sync.Mutex
	requests []Request
	faults   *faultState
}

// New returns a server over events. They are served newest first (events
// with equal times keep their given order); Raw must hold each record's JSON.
func New(events []model.Event, opts ...Option) *Server {
	s := &Server{key: DefaultKey, faults: newFaultState(nil)}
	for _, o := range opts {
		o(s)
	}
	s.known = map[string]bool{}
	for _, t := range model.EventTypes() {
		s.known[t.Name] = true
	}
	s.setEvents(slices.Clone(events))
	return s
}

// Add puts events into the organisation, as a live API receives them:
// requests from now on list them.
func (s *Server) Add(events ...model.Event) {
	s.data.Lock()
	defer s.data.Unlock()
	s.setEvents(append(slices.Clone(events), s.events...))
}

// setEvents serves events (newest first once sorted) and indexes them.
func (s *Server) setEvents(events []model.Event) {
	s.events = events
	slices.SortStableFunc(s.events, func(a, b model.Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	s.index = make(map[string]int, len(s.events))
	for i := range s.events {
		e := &s.events[i]
		if _, dup := s.index[e.ID]; !dup {
			s.index[e.ID] = i
		}
		// A stored type is one the server knows, even if the catalogue doesn't.
		s.known[e.Type] = true
	}
}

// SetFaults replaces the faults to inject. Request numbers keep counting from
// the server's first request, so OnRequest matches Requests()[OnRequest-1].
func (s *Server) SetFaults(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = newFaultState(faults)
}

// Requests returns a copy of every request received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = Request{Method: r.Method, Path: r.Path, Query: cloneValues(r.Query), Header: r.Header.Clone(), At: r.At}
	}
	return out
}

// Len is how many events the server holds.
func (s *Server) Len() int {
	s.data.RLock()
	defer s.data.RUnlock()
	return len(s.events)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	query, queryErr := url.ParseQuery(r.URL.RawQuery)
	if query == nil {
		query = url.Values{}
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: query, Header: r.Header.Clone(), At: time.Now()})
	n := len(s.requests)
	fault, faulted := s.faults.pick(n)
	s.mu.Unlock()

	if !s.wait(r.Context(), s.latency+s.randomJitter()) {
		return
	}
	if r.URL.Path != Path && r.URL.Path != PathNoV1 {
		writeError(w, http.StatusNotFound, "Invalid URL ("+r.Method+" "+r.URL.Path+")", "invalid_request_error", "", "")
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeError(w, http.StatusMethodNotAllowed, "Method "+r.Method+" is not allowed on "+r.URL.Path+"; use GET.", "invalid_request_error", "", "method_not_allowed")
		return
	}
	if msg, ok := s.authorize(r.Header.Get("Authorization")); !ok {
		writeError(w, http.StatusUnauthorized, msg, "invalid_request_error", "", "invalid_api_key")
		return
	}
	if faulted {
		if !s.wait(r.Context(), fault.Delay) {
			return
		}
		if fault.answerEarly(w, r) {
			return
		}
	}
	s.data.RLock()
	defer s.data.RUnlock()
	if queryErr != nil {
		writeError(w, http.StatusBadRequest, "The query string could not be parsed: "+queryErr.Error()+".", "invalid_request_error", "", "invalid_value")
		return
	}
	q, apiErr := s.parseQuery(query)
	if apiErr != nil {
		writeError(w, http.StatusBadRequest, apiErr.message, "invalid_request_error", apiErr.param, apiErr.code)
		return
	}
	p := s.page(q)
	if faulted && fault.answerPage(w, s, q, p) {
		return
	}
	writeJSON(w, http.StatusOK, p.encode(s.events))
}

// authorize checks the Bearer key; the message never repeats what was sent.
func (s *Server) authorize(header string) (string, bool) {
	const prefix = "Bearer "
	if header == "" {
		return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", false
	}
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return "The Authorization header must use Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", false
	}
	got := strings.TrimSpace(header[len(prefix):])
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.key)) != 1 {
		return "Incorrect API key provided. You can find your admin keys in your organization settings.", false
	}
	return "", true
}

// wait sleeps for d unless ctx ends first; it reports whether to go on.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// errorBody is the spec's ErrorResponse envelope; param and code are null
// when empty.
func errorBody(message, typ, param, code string) []byte {
	type apiError struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	}
	e := apiError{Message: message, Type: typ}
	if param != "" {
		e.Param = &param
	}
	if code != "" {
		e.Code = &code
	}
	b, err := json.Marshal(struct {
		Error apiError `json:"error"`
	}{e})
	if err != nil { // cannot happen for strings; keep the envelope shape anyway
		return []byte(`{"error":{"message":"internal error","type":"server_error","param":null,"code":null}}`)
	}
	return b
}

func writeError(w http.ResponseWriter, status int, message, typ, param, code string) {
	writeJSON(w, status, errorBody(message, typ, param, code))
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// NewTestServer serves h on a loopback port, one request per connection:
// Go's transport resends a GET by itself only on a reused connection, so a
// fault such as ConnectionReset is then exactly one request. Close it.
func NewTestServer(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.SetKeepAlivesEnabled(false)
	srv.Start()
	return srv
}
