package fakeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// freshClient opens a new connection per request, so that the transport
// never retries on a reused connection and every request reaches the server once.
func freshClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

// normalBody is what the server answers to query without faults.
func normalBody(t *testing.T, query string) []byte {
	t.Helper()
	_, base := serve(t, testOrg())
	return get(t, base, DefaultKey, query).body
}

func TestErrorFaults(t *testing.T) {
	cases := []struct {
		fault      Fault
		status     int
		retryAfter string
		code       string
	}{
		{Fault{Kind: RateLimited, OnRequest: 1, RetryAfter: 2 * time.Second}, http.StatusTooManyRequests, "2", "rate_limit_exceeded"},
		{Fault{Kind: RateLimited, OnRequest: 1, RetryAfter: 1500 * time.Millisecond}, http.StatusTooManyRequests, "2", "rate_limit_exceeded"},
		{Fault{Kind: RateLimited, OnRequest: 1}, http.StatusTooManyRequests, "", "rate_limit_exceeded"},
		{Fault{Kind: ServerError, OnRequest: 1}, http.StatusInternalServerError, "", ""},
		{Fault{Kind: Unavailable, OnRequest: 1}, http.StatusServiceUnavailable, "", ""},
	}
	for _, c := range cases {
		t.Run(c.fault.Kind.String(), func(t *testing.T) {
			_, base := serve(t, testOrg(), WithFaults(c.fault))
			r := get(t, base, DefaultKey, "")
			e := r.apiErr(t, c.status)
			if got := r.header.Get("Retry-After"); got != c.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, c.retryAfter)
			}
			if _, present := r.header["Retry-After"]; c.retryAfter == "" && present {
				t.Error("Retry-After sent although RetryAfter is zero")
			}
			if c.code != "" && e.Get("code").String() != c.code {
				t.Errorf("code %s, want %s", e.Get("code").Raw, c.code)
			}
			// The next request is answered normally.
			if l := get(t, base, DefaultKey, "").list(t); len(l.Data) != 20 {
				t.Errorf("after the fault: %d events", len(l.Data))
			}
		})
	}
}

func TestFaultByRequestNumberAndTimes(t *testing.T) {
	s, base := serve(t, testOrg(), WithFaults(Fault{Kind: ServerError, OnRequest: 2, Times: 3}))
	var statuses []int
	for range 6 {
		statuses = append(statuses, get(t, base, DefaultKey, "").status)
	}
	want := []int{200, 500, 500, 500, 200, 200}
	if !slices.Equal(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
	// SetFaults keeps counting requests from the server's first.
	s.SetFaults(Fault{Kind: Unavailable, OnRequest: 8})
	statuses = statuses[:0]
	for range 3 {
		statuses = append(statuses, get(t, base, DefaultKey, "").status)
	}
	if want := []int{200, 503, 200}; !slices.Equal(statuses, want) {
		t.Errorf("after SetFaults: statuses %v, want %v", statuses, want)
	}
	// The first listed fault wins.
	s.SetFaults(Fault{Kind: ServerError, OnRequest: 10}, Fault{Kind: Unavailable, OnRequest: 10})
	if r := get(t, base, DefaultKey, ""); r.status != http.StatusInternalServerError {
		t.Errorf("overlapping faults: status %d, want 500", r.status)
	}
}

func TestFaultByRateIsDeterministic(t *testing.T) {
	run := func(f Fault) []int {
		_, base := serve(t, testOrg()[:50], WithFaults(f))
		var faulted []int
		for n := 1; n <= 200; n++ {
			if get(t, base, DefaultKey, "limit=1").status != http.StatusOK {
				faulted = append(faulted, n)
			}
		}
		return faulted
	}
	a := run(Fault{Kind: ServerError, Rate: 0.25, Seed: 7})
	b := run(Fault{Kind: ServerError, Rate: 0.25, Seed: 7})
	c := run(Fault{Kind: ServerError, Rate: 0.25, Seed: 8})
	if !slices.Equal(a, b) {
		t.Errorf("the same seed faulted different requests:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Error("different seeds faulted the same requests")
	}
	if len(a) < 25 || len(a) > 75 {
		t.Errorf("rate 0.25 faulted %d of 200 requests", len(a))
	}
	if capped := run(Fault{Kind: ServerError, Rate: 0.25, Seed: 7, Times: 5}); !slices.Equal(capped, a[:5]) {
		t.Errorf("Times 5 with a rate faulted %v, want the first five of %v", capped, a)
	}
}

func TestDropMidBody(t *testing.T) {
	full := normalBody(t, "limit=50")
	_, base := serve(t, testOrg(), WithFaults(Fault{Kind: DropMidBody, OnRequest: 1}))
	req, _ := http.NewRequest(http.MethodGet, base+Path+"?limit=50", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultKey)
	res, err := freshClient().Do(req)
	if err != nil {
		t.Fatalf("the status line and headers should arrive: %v", err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading the body: %v, want unexpected EOF", err)
	}
	if res.StatusCode != http.StatusOK || len(got) == 0 || len(got) >= len(full) || !bytes.HasPrefix(full, got) {
		t.Errorf("status %d, %d of %d bytes; want 200 and a proper prefix of the page", res.StatusCode, len(got), len(full))
	}
}

func TestConnectionReset(t *testing.T) {
	s, base := serve(t, testOrg(), WithFaults(Fault{Kind: ConnectionReset, OnRequest: 1}))
	req, _ := http.NewRequest(http.MethodGet, base+Path, nil)
	req.Header.Set("Authorization", "Bearer "+DefaultKey)
	res, err := freshClient().Do(req)
	if err == nil {
		res.Body.Close()
		t.Fatalf("got status %d, want the connection closed without an answer", res.StatusCode)
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
	if r := get(t, base, DefaultKey, ""); r.status != http.StatusOK {
		t.Errorf("the next request got %d", r.status)
	}
}

func TestMalformedBody(t *testing.T) {
	full := normalBody(t, "limit=10")
	_, base := serve(t, testOrg(), WithFaults(Fault{Kind: MalformedBody, OnRequest: 1}))
	r := get(t, base, DefaultKey, "limit=10")
	if r.status != http.StatusOK || json.Valid(r.body) || !bytes.HasPrefix(full, r.body) || len(r.body) == 0 {
		t.Errorf("status %d, valid JSON %v, %d bytes; want 200 with a cut-off page", r.status, json.Valid(r.body), len(r.body))
	}
}

func TestWrongShape(t *testing.T) {
	_, base := serve(t, testOrg(), WithFaults(Fault{Kind: WrongShape, OnRequest: 1}))
	r := get(t, base, DefaultKey, "")
	if r.status != http.StatusOK || !json.Valid(r.body) {
		t.Fatalf("status %d, valid %v: want 200 and valid JSON", r.status, json.Valid(r.body))
	}
	if !gjson.GetBytes(r.body, "data").IsObject() {
		t.Errorf("data should be an object: %.200s", r.body)
	}
	var l list
	if err := json.Unmarshal(r.body, &l); err == nil {
		t.Error("the body decodes as a list response; it should not")
	}
}

func TestEmptyPageHasMore(t *testing.T) {
	events := testOrg()
	_, base := serve(t, events, WithFaults(Fault{Kind: EmptyPageHasMore, OnRequest: 1, Times: 2}))
	// Without a cursor, last_id is null.
	r := get(t, base, DefaultKey, "limit=5")
	l := r.list(t)
	if len(l.Data) != 0 || !l.HasMore || l.LastID != nil || l.FirstID != nil {
		t.Errorf("first page: %s, want no data, has_more true, null ids", r.body)
	}
	// With one, last_id is the cursor, so paging goes on where it was.
	cursor := events[4].ID
	l = get(t, base, DefaultKey, "limit=5&after="+cursor).list(t)
	if len(l.Data) != 0 || !l.HasMore || l.LastID == nil || *l.LastID != cursor {
		t.Fatalf("got %+v, want no data, has_more, last_id %s", l, cursor)
	}
	ids := get(t, base, DefaultKey, "limit=5&after="+*l.LastID).ids(t)
	if want := idsOf(events[5:10], nil); !slices.Equal(ids, want) {
		t.Errorf("after the empty page: %v, want %v", ids, want)
	}
}

func TestRepeatLastID(t *testing.T) {
	events := testOrg()
	_, base := serve(t, events, WithFaults(Fault{Kind: RepeatLastID, OnRequest: 1}, Fault{Kind: RepeatLastID, OnRequest: 3}))
	// Without a cursor there is no previous page: answered normally.
	first := get(t, base, DefaultKey, "limit=7")
	l1 := first.list(t)
	if len(l1.Data) != 7 {
		t.Fatalf("first page: %d events", len(l1.Data))
	}
	second := get(t, base, DefaultKey, "limit=7&after="+*l1.LastID) // request 2: normal
	l2 := second.list(t)
	third := get(t, base, DefaultKey, "limit=7&after="+*l2.LastID) // request 3: repeats page 2
	l3 := third.list(t)
	if *l3.LastID != *l2.LastID || !l3.HasMore {
		t.Errorf("last_id %s, has_more %v; want the previous page's last_id %s and has_more", *l3.LastID, l3.HasMore, *l2.LastID)
	}
	if !slices.Equal(third.ids(t), second.ids(t)) {
		t.Errorf("repeated page %v, want the previous page %v", third.ids(t), second.ids(t))
	}
}

func TestSlow(t *testing.T) {
	// A short delay, then a normal answer.
	_, base := serve(t, testOrg(), WithFaults(Fault{Kind: Slow, OnRequest: 1, Delay: time.Millisecond}))
	if l := get(t, base, DefaultKey, "").list(t); len(l.Data) != 20 {
		t.Errorf("slow answer had %d events", len(l.Data))
	}

	// A long delay ends when the client gives up.
	handlerHonoursCancel(t, New(testOrg(), WithFaults(Fault{Kind: Slow, OnRequest: 1, Delay: time.Hour})))
}

func TestLatencyHonoursContext(t *testing.T) {
	handlerHonoursCancel(t, New(testOrg(), WithLatency(time.Hour)))
}

// handlerHonoursCancel sends s one request, cancels it once s has it, and
// checks the client sees context.Canceled; ts.Close waits for the handler,
// so a handler that ignored the context would hang here.
func handlerHonoursCancel(t *testing.T, s *Server) {
	t.Helper()
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+Path, nil)
	req.Header.Set("Authorization", "Bearer "+DefaultKey)
	done := make(chan error, 1)
	go func() {
		res, err := freshClient().Do(req)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	waitFor(t, "the request to arrive", func() bool { return len(s.Requests()) > 0 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("client error %v, want context.Canceled", err)
	}
}

// waitFor polls cond until it holds; after a generous deadline the test
// fails instead of hanging.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestFaultKindNames(t *testing.T) {
	seen := map[string]bool{}
	for k := RateLimited; k <= DuplicateInPage; k++ {
		s := k.String()
		if strings.HasPrefix(s, "FaultKind(") || seen[s] {
			t.Errorf("kind %d has no name of its own: %q", int(k), s)
		}
		seen[s] = true
	}
	if got := FaultKind(99).String(); got != "FaultKind(99)" {
		t.Errorf("unknown kind prints %q", got)
	}
}
