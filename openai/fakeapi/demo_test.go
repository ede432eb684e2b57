package fakeapi

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// startDemo starts a demo and a client of its own, both closed when the
// test ends, which then checks that no goroutine is left behind.
func startDemo(t *testing.T) (*Demo, *http.Client) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
	client := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(client.CloseIdleConnections)
	d, err := StartDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, client
}

func TestStartDemo(t *testing.T) {
	d, client := startDemo(t)
	u, err := url.Parse(d.URL)
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ := net.SplitHostPort(u.Host)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() || u.Scheme != "http" || u.Path != "/v1" {
		t.Errorf("URL %s: want http on a loopback address ending in /v1", d.URL)
	}
	if !strings.HasPrefix(d.Key, "sk-admin-demo-") || len(d.Key) < 40 || d.Key == DefaultKey {
		t.Errorf("key %q is not a fresh random key", d.Key)
	}

	r := do(t, client, http.MethodGet, d.URL+"/organization/audit_logs?limit=100", d.Key)
	l := r.list(t)
	if len(l.Data) != 100 || !l.HasMore {
		t.Errorf("first page: %d events, has_more %v", len(l.Data), l.HasMore)
	}
	if !strings.Contains(string(r.body), `\u001b[2J`) {
		t.Error("the demo's first page lacks the hostile records")
	}
	if newest := d.Server.events[0].EffectiveAt; time.Since(newest) > 24*time.Hour || newest.After(time.Now()) {
		t.Errorf("the newest demo event is at %v; want it within a day before now", newest)
	}
	do(t, client, http.MethodGet, d.URL+"/organization/audit_logs", "sk-admin-demo-wrong").apiErr(t, http.StatusUnauthorized)
	do(t, client, http.MethodGet, d.URL+"/organization/audit_logs", DefaultKey).apiErr(t, http.StatusUnauthorized)

	d.Close()
	d.Close() // twice is fine
	client.CloseIdleConnections()
	if res, err := client.Get(d.URL + "/organization/audit_logs"); err == nil {
		res.Body.Close()
		t.Errorf("the demo still answers after Close: %d", res.StatusCode)
	}

	other, err := StartDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if other.Key == d.Key {
		t.Error("two demos share a key")
	}
}

func TestDemoStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d, err := StartDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	addr := strings.TrimSuffix(strings.TrimPrefix(d.URL, "http://"), "/v1")
	cancel()
	// The context's callback runs on its own goroutine: wait until it has.
	for range 5000 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(time.Millisecond)
	}
	t.Error("the demo still accepts connections after its context ended")
}

// The demo organisation grows by events of its own seed, each at the time
// it is given, listed first from then on; no clock or sleep is involved.
func TestDemoGrows(t *testing.T) {
	d, client := startDemo(t)
	before := d.Server.Len()
	held := map[string]bool{}
	for _, e := range d.Server.events {
		held[e.ID] = true
	}
	at := time.Now().Add(time.Hour).Truncate(time.Second)
	var grown []string
	for i := range 3 {
		e, ok := d.Grow(at.Add(time.Duration(i) * time.Second))
		if !ok || held[e.ID] || !e.EffectiveAt.Equal(at.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("grown event %d: ok %v, id %s already held %v, at %v", i, ok, e.ID, held[e.ID], e.EffectiveAt)
		}
		grown = append(grown, e.ID)
	}
	if d.Server.Len() != before+3 {
		t.Fatalf("the organisation holds %d events, want %d", d.Server.Len(), before+3)
	}
	got := do(t, client, http.MethodGet, d.URL+"/organization/audit_logs?limit=3", d.Key).ids(t)
	if want := []string{grown[2], grown[1], grown[0]}; !slices.Equal(got, want) {
		t.Fatalf("the first page lists %v, want the grown events newest first %v", got, want)
	}

	other, err := StartDemo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	for i, id := range grown {
		if e, _ := other.Grow(time.Now()); e.ID != id {
			t.Errorf("another demo's event %d is %s, want %s: the same seed should grow the same way", i, e.ID, id)
		}
	}
	other.GrowEvery(time.Hour) // stopped by Close, which goleak checks
}
