package openai

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// countingTransport counts the bytes read from each answer's body as the
// client sees it (decompressed), and cuts a body off at twice the cap, so
// that a client without one fails this test instead of the machine.
type countingTransport struct {
	read []*atomic.Int64 // one per answer, in order
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		n := new(atomic.Int64)
		c.read = append(c.read, n) // the client reads one page at a time
		res.Body = &countingBody{ReadCloser: res.Body, n: n}
	}
	return res, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.n.Load() > 2*MaxPageBytes {
		return 0, errors.New("test: read past twice the cap")
	}
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// A page that is 3 MB on the wire and 3 GiB once inflated stops the
// listing with one sentence after reading no more than the cap, is not
// asked for again, and the page before it is kept.
func TestAGzipBombStopsAtTheCap(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 250, Seed: 7, Now: orgNow, Hostile: true})
	fake := fakeapi.New(events, fakeapi.WithKey(testKey), fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.GzipBomb, OnRequest: 2, Times: 1000}))
	srv := httptest.NewServer(fake)
	defer srv.Close()
	counted := &countingTransport{}
	c := New(Config{AdminKey: testKey, BaseURL: srv.URL + "/v1", MaxRetryDelay: time.Millisecond, Transport: counted})
	got, _, err := collect(context.Background(), c, model.Query{})
	keyFree(t, err)
	sameEvents(t, got, listed(events)[:100])
	var e *Error
	if !errors.As(err, &e) || e.Page != 2 {
		t.Fatalf("error %v, want an *Error on page 2", err)
	}
	oneSentence(t, e.Sentence)
	for _, s := range []string{"Page 2", "larger than 64 MiB once decompressed", "rather than exhaust memory", "events before it are complete"} {
		if !strings.Contains(e.Sentence, s) {
			t.Errorf("sentence %q does not say %q", e.Sentence, s)
		}
	}
	if n := len(fake.Requests()); n != 2 || len(counted.read) != 2 {
		t.Fatalf("%d requests, want 2: the bomb is not asked for again", n)
	}
	if n := counted.read[1].Load(); n > MaxPageBytes+64<<10 {
		t.Fatalf("read %d bytes of the bomb, want at most the cap, %d", n, MaxPageBytes)
	}
}

// An error body is capped too: a 500 that inflates without end.
func TestAnErrorBodyBombStopsAtTheCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		chunk := []byte(strings.Repeat(" ", 1<<20))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	counted := &countingTransport{}
	c := New(Config{AdminKey: testKey, BaseURL: srv.URL + "/v1", MaxRetryDelay: time.Millisecond, Transport: counted})
	err := firstErr(t, c)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Sentence, "larger than 64 MiB once decompressed") {
		t.Fatalf("error %v, want the cap named", err)
	}
	for i, n := range counted.read {
		if n.Load() > MaxPageBytes+64<<10 {
			t.Fatalf("answer %d: read %d bytes, want at most the cap", i+1, n.Load())
		}
	}
}

// A page holding a 10 MB record is read whole, under the cap.
func TestATenMegabyteRecordFitsUnderTheCap(t *testing.T) {
	big, err := model.DecodeEvent([]byte(`{"id":"audit_log-big","type":"login.failed","effective_at":1720000000,"note":"` + strings.Repeat("x", 10<<20) + `"}`))
	if err != nil {
		t.Fatal(err)
	}
	small := fakeapi.Org(fakeapi.OrgOptions{Events: 50, Seed: 7, Now: orgNow})
	events := append(small, big)
	srv := httptest.NewServer(fakeapi.New(events, fakeapi.WithKey(testKey)))
	defer srv.Close()
	got, _, err := collect(context.Background(), testClient(srv.URL), model.Query{})
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, got, listed(events))
}
