package model

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// memEvents makes n events with distinct times, returned shuffled, and the
// ids newest first. Every third is a login.failed; the rest api_key.created.
func memEvents(t testing.TB, n int) (events []Event, newestFirst []string) {
	t.Helper()
	for i := range n {
		typ := "api_key.created"
		if i%3 == 0 {
			typ = "login.failed"
		}
		e, err := DecodeEvent(fmt.Appendf(nil, `{"id":"ev_%04d","type":%q,"effective_at":%d,"actor":null}`, i, typ, 1720000000+i))
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	for i := n - 1; i >= 0; i-- {
		newestFirst = append(newestFirst, fmt.Sprintf("ev_%04d", i))
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	return events, newestFirst
}

// collect runs q to the end and checks each page's bookkeeping.
func collect(t *testing.T, src Source, q Query) (ids []string, pages []Page) {
	t.Helper()
	for p, err := range src.Pages(context.Background(), q) {
		if err != nil {
			t.Fatalf("page %d: %v", len(pages)+1, err)
		}
		if p.Number != len(pages)+1 {
			t.Errorf("page %d has Number %d", len(pages)+1, p.Number)
		}
		if n := len(p.Events); n > 0 && (p.FirstID != p.Events[0].ID || p.LastID != p.Events[n-1].ID) {
			t.Errorf("page %d: FirstID %q LastID %q do not match its events", p.Number, p.FirstID, p.LastID)
		}
		for _, e := range p.Events {
			ids = append(ids, e.ID)
		}
		pages = append(pages, p)
	}
	return ids, pages
}

func TestMemorySourcePaging(t *testing.T) {
	events, want := memEvents(t, 250)
	src := NewMemorySource("audit.jsonl", events)
	if src.Name() != "audit.jsonl" || src.Len() != 250 {
		t.Errorf("Name %q Len %d", src.Name(), src.Len())
	}
	for _, size := range []int{1, 7, 100, 0} {
		t.Run(fmt.Sprint("page size ", size), func(t *testing.T) {
			got, pages := collect(t, src, Query{PageSize: size})
			if !slices.Equal(got, want) {
				t.Fatalf("events out of order or missing: got %d, first %q", len(got), got[:min(3, len(got))])
			}
			per := size
			if per == 0 {
				per = DefaultPageSize
			}
			if wantPages := (250 + per - 1) / per; len(pages) != wantPages {
				t.Errorf("%d pages, want %d", len(pages), wantPages)
			}
			for i, p := range pages {
				last := i == len(pages)-1
				if p.HasMore == last {
					t.Errorf("page %d HasMore %v", p.Number, p.HasMore)
				}
				if !last && len(p.Events) != per {
					t.Errorf("page %d has %d events, want %d", p.Number, len(p.Events), per)
				}
			}
		})
	}
}

func TestMemorySourceAfter(t *testing.T) {
	events, want := memEvents(t, 50)
	src := NewMemorySource("f", events)
	// Resuming from any page's LastID continues exactly where it stopped.
	got, _ := collect(t, src, Query{PageSize: 7, After: want[13]})
	if !slices.Equal(got, want[14:]) {
		t.Errorf("after %s: got %q", want[13], got)
	}
	got, pages := collect(t, src, Query{After: want[len(want)-1]})
	if len(got) != 0 || len(pages) != 1 || pages[0].HasMore || pages[0].FirstID != "" || pages[0].LastID != "" {
		t.Errorf("after the oldest event: %q in %+v, want one empty page", got, pages)
	}
	// After counts positions in the full list, whether or not that event
	// passes the filter, as the API's cursor does.
	f := Filter{Types: []string{"login.failed"}}
	got, _ = collect(t, src, Query{Filter: f, After: "ev_0040"}) // ev_0040 is api_key.created
	if !slices.Equal(got, []string{"ev_0039", "ev_0036", "ev_0033", "ev_0030", "ev_0027", "ev_0024", "ev_0021", "ev_0018", "ev_0015", "ev_0012", "ev_0009", "ev_0006", "ev_0003", "ev_0000"}) {
		t.Errorf("filtered after ev_0040: %q", got)
	}
}

func TestMemorySourceErrors(t *testing.T) {
	events, _ := memEvents(t, 5)
	src := NewMemorySource("audit.jsonl", events)
	for _, c := range []struct {
		q    Query
		want string
	}{
		{Query{PageSize: 101}, "page size 101 is out of range: use 1 to 100"},
		{Query{PageSize: -1}, "page size -1 is out of range"},
		{Query{After: "ev_nope"}, `audit.jsonl has no event with id "ev_nope" to continue after`},
	} {
		n := 0
		for p, err := range src.Pages(context.Background(), c.q) {
			n++
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%+v: err %v, want %q", c.q, err, c.want)
			}
			if p.Number != 0 || p.Events != nil {
				t.Errorf("%+v: error came with a non-zero page %+v", c.q, p)
			}
		}
		if n != 1 {
			t.Errorf("%+v: %d yields, want exactly the error", c.q, n)
		}
	}
}

func TestMemorySourceFilter(t *testing.T) {
	events, _ := memEvents(t, 30)
	src := NewMemorySource("f", events)
	f := Filter{Types: []string{"login.failed"}, Since: time.Unix(1720000010, 0), Until: time.Unix(1720000025, 0)}
	got, pages := collect(t, src, Query{Filter: f, PageSize: 2})
	if want := []string{"ev_0024", "ev_0021", "ev_0018", "ev_0015", "ev_0012"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(pages) != 3 || !pages[1].HasMore || pages[2].HasMore {
		t.Errorf("pages %+v", pages)
	}
	got, pages = collect(t, src, Query{Filter: Filter{Types: []string{"nothing.matches"}}})
	if len(got) != 0 || len(pages) != 1 || pages[0].Number != 1 || pages[0].HasMore {
		t.Errorf("no matches: %q %+v, want one empty last page", got, pages)
	}
}

func TestMemorySourceStableTies(t *testing.T) {
	var events []Event
	for i, at := range []int{5, 7, 5, 7, 5} {
		events = append(events, mustDecode(t, fmt.Sprintf(`{"id":"t%d","type":"x","effective_at":%d}`, i, at)))
	}
	got, _ := collect(t, NewMemorySource("f", events), Query{PageSize: 2})
	if want := []string{"t1", "t3", "t0", "t2", "t4"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want newest first with ties in input order %q", got, want)
	}
	if events[0].ID != "t0" {
		t.Error("NewMemorySource reordered the caller's slice")
	}
}

func TestMemorySourceRepeatedIDsStillEnd(t *testing.T) {
	var events []Event
	for i := range 6 {
		events = append(events, mustDecode(t, fmt.Sprintf(`{"id":"dup","type":"x","effective_at":%d}`, 10-i)))
	}
	src := NewMemorySource("f", events)
	// A client that pages by LastID must get to the end.
	after, fetched := "", 0
	for round := 0; ; round++ {
		if round > 10 {
			t.Fatal("paging by LastID never ends")
		}
		var last Page
		for p, err := range src.Pages(context.Background(), Query{PageSize: 2, After: after}) {
			if err != nil {
				t.Fatal(err)
			}
			last = p
			fetched += len(p.Events)
			break // one page per request, as an API client does
		}
		if !last.HasMore {
			break
		}
		after = last.LastID
	}
	if fetched == 0 {
		t.Error("nothing fetched")
	}
}

func TestMemorySourceCancel(t *testing.T) {
	events, _ := memEvents(t, 30)
	src := NewMemorySource("f", events)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for p, err := range src.Pages(ctx, Query{}) {
		if !errors.Is(err, context.Canceled) || p.Number != 0 {
			t.Errorf("cancelled before start: page %d err %v", p.Number, err)
		}
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var numbers []int
	var lastErr error
	for p, err := range src.Pages(ctx, Query{PageSize: 5}) {
		if err != nil {
			lastErr = err
			continue
		}
		numbers = append(numbers, p.Number)
		if p.Number == 2 {
			cancel()
		}
	}
	if !slices.Equal(numbers, []int{1, 2}) || !errors.Is(lastErr, context.Canceled) {
		t.Errorf("pages %v then %v; want 1, 2 then context.Canceled", numbers, lastErr)
	}

	// A consumer that stops early is not called again.
	n := 0
	for range src.Pages(context.Background(), Query{PageSize: 1}) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("%d yields after break", n)
	}
}

func BenchmarkMemorySourcePages(b *testing.B) {
	events, _ := memEvents(b, 100_000)
	src := NewMemorySource("bench", events)
	q := Query{Filter: Filter{Types: []string{"login.failed"}}}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for p, err := range src.Pages(context.Background(), q) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(p.Events)
		}
		if n != 33_334 {
			b.Fatalf("%d events", n)
		}
	}
}
