package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// An endpoint that answers every cursor with the same events under a new
// last_id would be followed forever and deliver its events again every
// other page; the client delivers them once and stops after as many such
// pages in a row as it has retries.
func TestFreshCursorsOverTheSameEventsStop(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"object":"list","data":[{"id":"a","type":"login.failed","effective_at":2},{"id":"b","type":"login.failed","effective_at":1}],"first_id":"a","last_id":"cursor-%d","has_more":true}`, n.Add(1))
	}))
	defer srv.Close()
	got, _, err := collect(context.Background(), testClient(srv.URL), model.Query{})
	var ids []string
	for _, e := range got {
		ids = append(ids, e.ID)
	}
	if strings.Join(ids, " ") != "a b" {
		t.Fatalf("events %v, want a and b once", ids)
	}
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Sentence, "Pages 2 to 6 from the API held only events already read") {
		t.Fatalf("error %v, want the loop named", err)
	}
	oneSentence(t, e.Sentence)
	if n.Load() != 6 {
		t.Fatalf("%d requests, want 6: page 1 and five pages of repeats", n.Load())
	}
}

// A server serving pages A, B, A, B... under fresh cursors delivers each
// event once and stops after as many pages in a row with nothing new as
// there are retries, instead of paging forever.
func TestAlternatingPagesStop(t *testing.T) {
	fake, events, c := fakeOrg(t, 250, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.Alternate, OnRequest: 1, Times: 1000}))
	got, _, err := collect(context.Background(), c, model.Query{PageSize: 2})
	want := newestFirst(events)[:4] // the fault serves the newest four, whatever their type
	sameEvents(t, got, want)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Sentence, "Pages 3 to 7 from the API held only events already read") {
		t.Fatalf("error %v, want the loop named", err)
	}
	oneSentence(t, e.Sentence)
	if n := len(fake.Requests()); n != 7 {
		t.Fatalf("%d requests, want 7: A, B, then five pages of repeats", n)
	}
}

// An id twice in one page is delivered once.
func TestAnIDTwiceInAPageIsDeliveredOnce(t *testing.T) {
	_, events, c := fakeOrg(t, 250, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.DuplicateInPage, OnRequest: 1, Times: 1000}))
	got, _, err := collect(context.Background(), c, model.Query{})
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, got, listed(events))
}
