package openai

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

func TestMain(m *testing.M) {
	// No exceptions: closing each test's server also ends the SDK's
	// keep-alive connections to it, so anything still running is a leak.
	goleak.VerifyTestMain(m)
}

var orgNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// fakeOrg serves n synthetic events behind the fake endpoint with testKey.
func fakeOrg(t testing.TB, n int, opts ...fakeapi.Option) (*fakeapi.Server, []model.Event, *Client) {
	t.Helper()
	events := fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 7, Now: orgNow, Hostile: true})
	fake := fakeapi.New(events, append([]fakeapi.Option{fakeapi.WithKey(testKey)}, opts...)...)
	srv := fakeapi.NewTestServer(fake)
	t.Cleanup(srv.Close)
	return fake, events, testClient(srv.URL)
}

// listed is what the API lists with no filter, newest first.
func listed(events []model.Event) []model.Event { return fakeapi.Listed(events, model.Filter{}) }

// newestFirst is the order the API serves events in.
func newestFirst(events []model.Event) []model.Event {
	out := slices.Clone(events)
	slices.SortStableFunc(out, func(a, b model.Event) int { return b.EffectiveAt.Compare(a.EffectiveAt) })
	return out
}

// collect pages through q and returns the events, the pages and the error.
func collect(ctx context.Context, c *Client, q model.Query) ([]model.Event, []model.Page, error) {
	var events []model.Event
	var pages []model.Page
	for p, err := range c.Pages(ctx, q) {
		if err != nil {
			return events, pages, err
		}
		pages = append(pages, p)
		events = append(events, p.Events...)
	}
	return events, pages, nil
}

// sameEvents fails unless got is want, in order, byte for byte.
func sameEvents(t *testing.T, got, want []model.Event) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || !bytes.Equal(got[i].Raw, want[i].Raw) {
			t.Fatalf("event %d is %s, want %s (or its bytes changed)", i, got[i].ID, want[i].ID)
		}
	}
}

func TestPaginationIsExact(t *testing.T) {
	_, events, c := fakeOrg(t, 2000)
	want := listed(events)
	for _, size := range []int{1, 7, 100} {
		t.Run(time.Duration(size).String(), func(t *testing.T) {
			got, pages, err := collect(context.Background(), c, model.Query{PageSize: size})
			if err != nil {
				t.Fatal(err)
			}
			sameEvents(t, got, want)
			if wantPages := (len(want) + size - 1) / size; len(pages) != wantPages {
				t.Fatalf("%d pages, want %d", len(pages), wantPages)
			}
			for i, p := range pages {
				if p.Number != i+1 || len(p.Skipped) != 0 {
					t.Fatalf("page %d numbered %d with %d skipped", i+1, p.Number, len(p.Skipped))
				}
			}
		})
	}
}

func TestResumeAfterACursor(t *testing.T) {
	_, events, c := fakeOrg(t, 450)
	want := listed(events)
	var first model.Page
	for p, err := range c.Pages(context.Background(), model.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		first = p
		break
	}
	rest, _, err := collect(context.Background(), c, model.Query{After: first.LastID})
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, append(first.Events, rest...), want)
}

func TestEveryFilterReachesTheWireAsTheSpecNamesIt(t *testing.T) {
	fake, _, c := fakeOrg(t, 300)
	q := model.Query{
		PageSize: 3,
		After:    "audit_log-cursor",
		Filter: model.Filter{
			Types:       []string{"tenant.admin_api_key.created", "role.bound_to_resource"},
			ActorIDs:    []string{"user-1", "svc_acct_2"},
			ActorEmails: []string{"a@example.com", "b@example.com"},
			ProjectIDs:  []string{"proj_1", "proj_2"},
			ResourceIDs: []string{"key_1", "key_2"},
			Since:       time.Unix(1700000000, 0),
			Until:       time.Unix(1800000000, 500), // a fraction rounds up: lt stays exclusive
			TenantOnly:  true,
		},
	}
	for range c.Pages(context.Background(), q) {
		break
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	want := map[string][]string{
		"event_types[]":     {"tenant.admin_api_key.created", "role.bound_to_resource"},
		"actor_ids[]":       {"user-1", "svc_acct_2"},
		"actor_emails[]":    {"a@example.com", "b@example.com"},
		"project_ids[]":     {"proj_1", "proj_2"},
		"resource_ids[]":    {"key_1", "key_2"},
		"effective_at[gte]": {"1700000000"},
		"effective_at[lt]":  {"1800000001"},
		"limit":             {"3"},
		"after":             {"audit_log-cursor"},
		"tenant_only":       {"true"},
	}
	var keys []string
	for k := range r.Query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) != len(want) {
		t.Errorf("query parameters %v, want exactly %d", keys, len(want))
	}
	for k, v := range want {
		if !slices.Equal(r.Query[k], v) {
			t.Errorf("%s = %q, want %q", k, r.Query[k], v)
		}
	}
	if r.Method != "GET" || r.Path != fakeapi.Path {
		t.Errorf("%s %s, want GET %s", r.Method, r.Path, fakeapi.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization header %q", got)
	}
}

func TestDefaultsOnTheWire(t *testing.T) {
	fake, events, c := fakeOrg(t, 250)
	if _, _, err := collect(context.Background(), c, model.Query{}); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if n := len(listed(events)); len(reqs) != (n+99)/100 || n <= 100 {
		t.Fatalf("%d requests for %d events, want %d", len(reqs), n, (n+99)/100)
	}
	if got := reqs[0].Query; len(got) != 1 || got.Get("limit") != "100" {
		t.Errorf("first request %v, want only limit=100", got)
	}
	for i, r := range reqs[1:] {
		if r.Query.Get("after") == "" || r.Query.Get("limit") != "100" {
			t.Errorf("request %d %v, want after and limit=100", i+2, r.Query)
		}
	}
}

// Each fault on the second request, passing (it clears on a retry) or
// lasting (every retry meets it too).
func TestFaults(t *testing.T) {
	kinds := []struct {
		kind fakeapi.FaultKind
		says []string // what the sentence must say when retries run out
	}{
		{fakeapi.RateLimited, []string{"429", "rate-limiting"}},
		{fakeapi.ServerError, []string{"500 Internal Server Error", "try again"}},
		{fakeapi.Unavailable, []string{"503 Service Unavailable"}},
		{fakeapi.DropMidBody, []string{"dropped while page 2 was arriving", "network"}},
		{fakeapi.ConnectionReset, []string{"Could not reach the API", "page 2"}},
		{fakeapi.MalformedBody, []string{"Page 2 from the API could not be read", "not valid JSON"}},
		{fakeapi.WrongShape, []string{"Page 2 from the API could not be read"}},
		{fakeapi.EmptyPageHasMore, []string{"Page 2 from the API was empty yet said more pages follow"}},
		{fakeapi.RepeatLastID, []string{"Page 2 from the API pointed back to cursor"}},
	}
	for _, k := range kinds {
		t.Run(k.kind.String()+"/passing", func(t *testing.T) {
			fake, events, c := fakeOrg(t, 250, fakeapi.WithFaults(fakeapi.Fault{Kind: k.kind, OnRequest: 2, Times: 2}))
			got, _, err := collect(context.Background(), c, model.Query{})
			if err != nil {
				keyFree(t, err)
				t.Fatalf("a passing %s ended the listing: %v", k.kind, err)
			}
			want := listed(events)
			sameEvents(t, got, want)
			if n, pages := len(fake.Requests()), (len(want)+99)/100; n != pages+2 || pages < 2 {
				t.Errorf("%d requests, want %d (%d pages, 2 retried)", n, pages+2, pages)
			}
		})
		t.Run(k.kind.String()+"/lasting", func(t *testing.T) {
			fake, events, c := fakeOrg(t, 250, fakeapi.WithFaults(fakeapi.Fault{Kind: k.kind, OnRequest: 2, Times: 1000}))
			got, pages, err := collect(context.Background(), c, model.Query{})
			keyFree(t, err)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			oneSentence(t, e.Sentence)
			for _, s := range append(k.says, "5 attempts") {
				if !strings.Contains(e.Sentence, s) {
					t.Errorf("sentence %q does not say %q", e.Sentence, s)
				}
			}
			if e.Page != 2 {
				t.Errorf("error on page %d, want 2", e.Page)
			}
			// The first page is kept, whole and once.
			sameEvents(t, got, listed(events)[:100])
			if len(pages) != 1 {
				t.Errorf("%d pages before the error, want 1", len(pages))
			}
			if n := len(fake.Requests()); n != 6 {
				t.Errorf("%d requests, want 6 (page 1, then page 2 five times)", n)
			}
		})
	}
}

func TestWrongKeyIsRefusedWithoutEchoingIt(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 10, Seed: 1, Now: orgNow})
	srv := httptest.NewServer(fakeapi.New(events, fakeapi.WithKey("sk-admin-the-right-one")))
	defer srv.Close()
	_, _, err := collect(context.Background(), testClient(srv.URL), model.Query{})
	keyFree(t, err)
	var e *Error
	if !errors.As(err, &e) || e.Status != 401 || !strings.Contains(e.Sentence, "admin key") {
		t.Fatalf("wrong key gave %v", err)
	}
}

func TestBadLimitIsTheAPIsSentence(t *testing.T) {
	_, _, c := fakeOrg(t, 10)
	_, _, err := collect(context.Background(), c, model.Query{PageSize: 101})
	keyFree(t, err)
	var e *Error
	if !errors.As(err, &e) || e.Status != 400 || !strings.Contains(e.Sentence, `"limit"`) {
		t.Fatalf("limit 101 gave %v", err)
	}
	oneSentence(t, e.Sentence)
}

func TestFirstPageArrivesBeforeTheNextIsServed(t *testing.T) {
	// The second request hangs until the test gives up on it.
	_, events, c := fakeOrg(t, 300, fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.Slow, OnRequest: 2, Delay: time.Hour}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []model.Event
	var last error
	for p, err := range c.Pages(ctx, model.Query{}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, p.Events...)
		cancel() // seen page 1 while page 2 is still being served
	}
	sameEvents(t, got, listed(events)[:100])
	if !errors.Is(last, context.Canceled) {
		t.Fatalf("ended with %v, want context.Canceled", last)
	}
}

func TestStoppingEarlyMakesNoMoreRequests(t *testing.T) {
	fake, _, c := fakeOrg(t, 500)
	for range c.Pages(context.Background(), model.Query{PageSize: 10}) {
		break
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests after taking one page, want 1", n)
	}
}

// An endpoint whose after cursor is inclusive serves the cursor's event
// again at the top of every page: each event must still arrive once.
func TestInclusiveCursorDoesNotDuplicate(t *testing.T) {
	events := newestFirst(fakeapi.Org(fakeapi.OrgOptions{Events: 250, Seed: 5, Now: orgNow}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := 0
		if after := r.URL.Query().Get("after"); after != "" {
			start = slices.IndexFunc(events, func(e model.Event) bool { return e.ID == after })
		}
		end := min(start+100, len(events))
		var b bytes.Buffer
		b.WriteString(`{"object":"list","data":[`)
		for i, e := range events[start:end] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(e.Raw)
		}
		fmt.Fprintf(&b, `],"first_id":%q,"last_id":%q,"has_more":%v}`, events[start].ID, events[end-1].ID, end < len(events))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b.Bytes())
	}))
	defer srv.Close()
	got, _, err := collect(context.Background(), testClient(srv.URL), model.Query{})
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, got, events)
}

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
