package ui

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// apiBrowser is a browser at 120x30 over the real client against base,
// opened on the query text (its server part sent).
func apiBrowser(t *testing.T, cfg openai.Config, text string) *Model {
	t.Helper()
	m := newModel(context.Background(), Options{Source: openai.New(cfg), QueryText: text,
		Query: model.Query{PageSize: 100, Filter: compiled(t, text)}, Now: func() time.Time { return testNow }, Location: testZone})
	t.Cleanup(m.cancel)
	return send(m, tea.WindowSizeMsg{Width: 120, Height: 30})
}

// TestARefusedTypeNamesTheClosestAndOffersNoRetry: a type newer than the
// catalogue, sent anyway, is refused by the API with a 400; the sentence
// names it and the closest known types, and R, which would be refused the
// same way, is neither offered nor sent.
func TestARefusedTypeNamesTheClosestAndOffersNoRetry(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 50, Seed: 3, Now: testNow})
	fake, cfg := fakeServer(t, events)
	m := apiBrowser(t, cfg, "type:login.faild")
	m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.err != nil })
	screen := screenText(m)
	for _, want := range []string{`does not know the event type "login.faild"`, "did you mean login.failed", "Press : to change the query"} {
		if !onScreen(m, want) {
			t.Fatalf("the screen should say %q:\n%s", want, screen)
		}
	}
	if onScreen(m, "Press R") || strings.Contains(screen, "R retry") {
		t.Fatalf("a retry cannot help, so R should not be offered:\n%s", screen)
	}
	before := len(fake.Requests())
	m = press(t, m, "R")
	if len(fake.Requests()) != before || !strings.Contains(screenText(m), "asking again cannot fix this error") {
		t.Fatalf("R sent %d requests; the status should say why not:\n%s", len(fake.Requests())-before, screenText(m))
	}
}

// TestARetryableErrorStillOffersR: a 500 that lasts is offered R.
func TestARetryableErrorStillOffersR(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 50, Seed: 3, Now: testNow})
	_, cfg := fakeServer(t, events, fakeapi.Fault{Kind: fakeapi.ServerError, OnRequest: 1, Times: 1000})
	cfg.MaxRetryDelay = time.Millisecond
	m := apiBrowser(t, cfg, "")
	m = pump(t, m, m.Init(), func(m *Model) bool { return m.stream.err != nil })
	if !onScreen(m, "Press R to retry") || !strings.Contains(screenText(m), "R retry") {
		t.Fatalf("a 500 may pass: R should be offered:\n%s", screenText(m))
	}
}

// untilRetry waits (on the real clock, with no bound asserted) for the
// fetch to report retry attempt n or later, and returns the screen then.
func untilRetry(t *testing.T, m *Model, n int) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); m.stream.retrying().Attempt < n; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("retry %d was never reported; screen:\n%s", n, screenText(m))
		}
	}
	return screenText(m)
}

// TestTheStatusBarCountsRetries: while a page is asked for again, the
// status bar says why and which attempt it is, with the server's wait
// counted down for a 429, and says nothing of it once the page arrives.
func TestTheStatusBarCountsRetries(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 350, Seed: 11, Now: testNow})
	cases := []struct {
		name  string
		fault fakeapi.Fault
		says  *regexp.Regexp
	}{
		{"500", fakeapi.Fault{Kind: fakeapi.ServerError}, regexp.MustCompile(`fetching page 2: the API answered 500; retrying [2-5] of 5`)},
		{"429 with Retry-After", fakeapi.Fault{Kind: fakeapi.RateLimited, RetryAfter: 30 * time.Second},
			regexp.MustCompile(`fetching page 2: rate limited; retrying in (30|2\d) s \(2 of 5\)`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := c.fault
			f.OnRequest, f.Times = 2, 1000
			fake, cfg := fakeServer(t, events, f)
			cfg.MaxRetryDelay = time.Minute
			m := apiBrowser(t, cfg, "")
			m = pump(t, m, m.Init(), func(m *Model) bool { return m.set.Len() == 100 })
			if screen := untilRetry(t, m, 2); !c.says.MatchString(screen) {
				t.Fatalf("the status bar should match %q:\n%s", c.says, screen)
			}
			m.cancel()
			_ = fake
		})
	}
}

// TestADeadURLSaysItIsRetrying: nothing listens at the base URL; the
// status bar says the connection was refused and counts the attempts.
func TestADeadURLSaysItIsRetrying(t *testing.T) {
	cfg := openai.Config{AdminKey: fakeapi.DefaultKey, BaseURL: "http://127.0.0.1:1/v1", Name: "dead", MaxRetryDelay: time.Minute}
	m := apiBrowser(t, cfg, "")
	runAll(m.Init())
	screen := untilRetry(t, m, 2)
	if !regexp.MustCompile(`fetching page 1: the connection was refused; retrying [2-5] of 5`).MatchString(screen) {
		t.Fatalf("the status bar should count the retries:\n%s", screen)
	}
}

// compiled is the server part of the query text.
func compiled(t *testing.T, text string) model.Filter {
	t.Helper()
	q, err := query.Parse(text, testNow)
	if err != nil {
		t.Fatal(err)
	}
	return query.Compile(q, testNow).Server
}

// runAll runs cmd and the commands of any batch it gives on goroutines,
// dropping their messages: for a fetch watched through its reports.
func runAll(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		if b, ok := cmd().(tea.BatchMsg); ok {
			for _, c := range b {
				runAll(c)
			}
		}
	}()
}
