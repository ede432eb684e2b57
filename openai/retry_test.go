package openai

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// inVirtualTime lists the fake's events with the default settings (a
// minute for each attempt, 2 minutes the longest Retry-After waited) in a
// synctest bubble, where waits take no real time and the clock moves only
// while everything waits. It returns the events, how long the listing took
// on that clock (network round trips take none of it) and the error.
func inVirtualTime(t *testing.T, fake *fakeapi.Server) ([]model.Event, time.Duration, error) {
	t.Helper()
	srv := httptest.NewServer(fake) // outside the bubble: its goroutines never end in it
	defer srv.Close()
	var got []model.Event
	var err error
	var took time.Duration
	synctest.Test(t, func(t *testing.T) {
		// A transport of its own, without idle connections, leaves nothing
		// running in the bubble once a page is read.
		c := New(Config{AdminKey: testKey, BaseURL: srv.URL + "/v1", Transport: &http.Transport{DisableKeepAlives: true}})
		start := time.Now()
		got, _, err = collect(context.Background(), c, model.Query{})
		took = time.Since(start)
	})
	return got, took, err
}

// A 429 asking for 90 seconds, longer than an attempt may take, is waited
// out in full once, then the page is asked for again and arrives.
func TestARetryAfterLongerThanAnAttemptIsWaitedInFull(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 250, Seed: 7, Now: orgNow})
	fake := fakeapi.New(events, fakeapi.WithKey(testKey), fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.RateLimited, RetryAfter: 90 * time.Second, OnRequest: 2}))
	got, took, err := inVirtualTime(t, fake)
	if err != nil {
		t.Fatal(err)
	}
	sameEvents(t, got, listed(events))
	pages := (len(got) + 99) / 100
	if n := len(fake.Requests()); took != 90*time.Second || n != pages+1 || pages < 2 {
		t.Fatalf("took %v and %d requests, want one wait of 90s and %d (%d pages, page 2 twice)", took, n, pages+1, pages)
	}
	if after := fake.Requests()[2].Query.Get("after"); after != fake.Requests()[1].Query.Get("after") {
		t.Fatalf("page 2 was asked again after %q, not on its own cursor", after)
	}
}

// A 429 asking for 90 seconds every time: each is waited out, and when the
// retries are spent the sentence says the API was rate-limiting and how
// long it asked, not that the page was slow.
func TestARateLimitThatLastsIsNamed(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 250, Seed: 7, Now: orgNow})
	fake := fakeapi.New(events, fakeapi.WithKey(testKey), fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.RateLimited, RetryAfter: 90 * time.Second, OnRequest: 1, Times: 1000}))
	got, took, err := inVirtualTime(t, fake)
	var e *Error
	if !errors.As(err, &e) || len(got) != 0 {
		t.Fatalf("%d events, error %v; want none and an *Error", len(got), err)
	}
	oneSentence(t, e.Sentence)
	for _, s := range []string{"rate-limiting this organisation (429)", "page 1 was refused", "all 5 attempts failed", "asking to wait 90 seconds"} {
		if !strings.Contains(e.Sentence, s) {
			t.Errorf("sentence %q does not say %q", e.Sentence, s)
		}
	}
	if strings.Contains(e.Sentence, "in time") || e.Status != 429 || e.RetryAfter != 90*time.Second {
		t.Errorf("sentence %q, status %d, RetryAfter %v; want the rate limit named", e.Sentence, e.Status, e.RetryAfter)
	}
	if n := len(fake.Requests()); took != 4*90*time.Second || n != 5 {
		t.Fatalf("took %v and %d requests, want four waits of 90s and 5 attempts", took, n)
	}
}

// A 429 asking for longer than auditui waits stops at once, saying how
// long it asked.
func TestARetryAfterBeyondTwoMinutesStopsAtOnce(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 50, Seed: 7, Now: orgNow})
	fake := fakeapi.New(events, fakeapi.WithKey(testKey), fakeapi.WithFaults(fakeapi.Fault{Kind: fakeapi.RateLimited, RetryAfter: 121 * time.Second, OnRequest: 1, Times: 1000}))
	_, took, err := inVirtualTime(t, fake)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Sentence, "asked to wait 121 seconds before page 1") {
		t.Fatalf("error %v, want the wait it asked for named", err)
	}
	oneSentence(t, e.Sentence)
	if n := len(fake.Requests()); took != 0 || n != 1 {
		t.Fatalf("took %v and %d requests, want no wait and 1", took, n)
	}
}

// Without a Retry-After the waits are half a second doubling, and every
// kind of failure draws on the same four retries.
func TestBackoffWithoutRetryAfter(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 50, Seed: 7, Now: orgNow})
	fake := fakeapi.New(events, fakeapi.WithKey(testKey), fakeapi.WithFaults(
		fakeapi.Fault{Kind: fakeapi.ServerError, OnRequest: 1, Times: 2},
		fakeapi.Fault{Kind: fakeapi.DropMidBody, OnRequest: 3, Times: 1000}))
	_, took, err := inVirtualTime(t, fake)
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Sentence, "dropped while page 1 was arriving") || !strings.Contains(e.Sentence, "all 5 attempts failed") {
		t.Fatalf("error %v, want the last failure named after 5 attempts", err)
	}
	if n := len(fake.Requests()); took != (500+1000+2000+4000)*time.Millisecond || n != 5 {
		t.Fatalf("took %v and %d requests, want 7.5s of backoff and 5 attempts", took, n)
	}
	for i, r := range fake.Requests() {
		if got := r.Header.Get("X-Stainless-Retry-Count"); got != strconv.Itoa(i) {
			t.Errorf("attempt %d sent X-Stainless-Retry-Count %q", i+1, got)
		}
	}
}
