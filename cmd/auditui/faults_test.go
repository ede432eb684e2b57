package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/export"
	"github.com/auditui/auditui/model/sanitize"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// exportFault is one row of the fault matrix for export. The fault falls on
// page 2 (request 2) of a 250-event organisation served in pages of 100.
type exportFault struct {
	name  string
	fault fakeapi.Fault
	says  []string // what the one sentence says when the fault lasts
	// retries is how many requests page 2 takes when the fault lasts: the
	// first attempt and every retry, or fewer when the client gives up at once.
	retries int
	// requestTimeout, when set, is the --request-timeout the row runs with.
	requestTimeout time.Duration
}

var exportFaults = []exportFault{
	{name: "429 without Retry-After", fault: fakeapi.Fault{Kind: fakeapi.RateLimited},
		says: []string{"rate-limiting", "(429)", "page 2", "all 5 attempts failed", "try again"}, retries: 5},
	{name: "429 with Retry-After longer than auditui waits", fault: fakeapi.Fault{Kind: fakeapi.RateLimited, RetryAfter: time.Second},
		says: []string{"rate-limiting", "(429)", "asked to wait a second before page 2"}, retries: 1},
	{name: "500", fault: fakeapi.Fault{Kind: fakeapi.ServerError},
		says: []string{"500 Internal Server Error", "page 2", "all 5 attempts failed"}, retries: 5},
	{name: "503", fault: fakeapi.Fault{Kind: fakeapi.Unavailable},
		says: []string{"503 Service Unavailable", "page 2", "all 5 attempts failed"}, retries: 5},
	{name: "connection reset", fault: fakeapi.Fault{Kind: fakeapi.ConnectionReset},
		says: []string{"Could not reach the API", "page 2", "all 5 attempts failed"}, retries: 5},
	{name: "dropped mid-body", fault: fakeapi.Fault{Kind: fakeapi.DropMidBody},
		says: []string{"dropped while page 2 was arriving", "all 5 attempts failed", "network"}, retries: 5},
	{name: "malformed body", fault: fakeapi.Fault{Kind: fakeapi.MalformedBody},
		says: []string{"Page 2 from the API could not be read", "not valid JSON", "all 5 attempts failed"}, retries: 5},
	{name: "valid JSON of the wrong shape", fault: fakeapi.Fault{Kind: fakeapi.WrongShape},
		says: []string{"Page 2 from the API could not be read", `"data" is not a list`}, retries: 5},
	{name: "empty page with has_more", fault: fakeapi.Fault{Kind: fakeapi.EmptyPageHasMore},
		says: []string{"Page 2 from the API was empty yet said more pages follow", "rather than loop"}, retries: 5},
	{name: "last_id repeating a cursor", fault: fakeapi.Fault{Kind: fakeapi.RepeatLastID},
		says: []string{"Page 2 from the API pointed back to cursor", "already read", "rather than loop or repeat events"}, retries: 5},
	{name: "gzip bomb", fault: fakeapi.Fault{Kind: fakeapi.GzipBomb, Size: 128 << 20},
		says: []string{"Page 2 from the API was larger than 64 MiB once decompressed", "rather than exhaust memory", "events before it are complete"}, retries: 1},
	{name: "very slow server", fault: fakeapi.Fault{Kind: fakeapi.Slow, Delay: 2 * time.Second},
		says: []string{"did not finish sending page 2 in time", "all 5 attempts failed"}, retries: 5,
		requestTimeout: 300 * time.Millisecond},
}

// faultOrg serves 250 synthetic events (hostile records among them) with
// the fault on request 2 for times requests, and returns them newest first.
func faultOrg(t *testing.T, f fakeapi.Fault, times int) (*fakeapi.Server, []model.Event) {
	t.Helper()
	f.OnRequest, f.Times = 2, times
	fake, events := fakeAPI(t, 250, fakeapi.WithFaults(f))
	return fake, listed(events)
}

// afters lists the after cursor of every request the fake received.
func afters(fake *fakeapi.Server) []string {
	var out []string
	for _, r := range fake.Requests() {
		out = append(out, r.Query.Get("after"))
	}
	return out
}

// checkCursors fails unless page 1 was asked without a cursor, every
// attempt at page 2 after page 1's last event (attempts of them), and any
// page after that after the last event of the page before it.
func checkCursors(t *testing.T, got []string, events []model.Event, attempts int) {
	t.Helper()
	want := []string{""}
	for range attempts {
		want = append(want, events[99].ID)
	}
	if len(got) > len(want) {
		want = append(want, events[199].ID)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("requests asked after %q, want %q", got, want)
	}
}

// TestExportFaultsThatPass runs the real command with each fault on page 2
// for one request: the retry asks for page 2 again on the same cursor and
// the output is every event once, byte for byte, with nothing on stderr.
func TestExportFaultsThatPass(t *testing.T) {
	for _, fc := range exportFaults {
		if fc.retries == 1 {
			continue // the client gives up at once: nothing to pass
		}
		t.Run(fc.name, func(t *testing.T) {
			f, attempts := fc.fault, 2
			if f.Kind == fakeapi.Slow {
				// Slow, but within the command's request timeout: waited for, not retried.
				f.Delay, attempts = 300*time.Millisecond, 1
			}
			fake, events := faultOrg(t, f, 1)
			r := runCLI(t, context.Background(), "export")
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if r.stdout != jsonLines(events) {
				t.Fatal("export after a passing fault is not every event once, newest first, byte for byte")
			}
			checkCursors(t, afters(fake), events, attempts)
		})
	}
}

// TestExportFaultsThatLast: each fault stays on page 2 through every retry
// (kept fast with a short retry delay). The person sees one sentence, page
// 1 is written whole and once, and every attempt asked for page 2 from the
// right cursor. Then the fault clears and an export resumed from the last
// event written yields exactly the rest.
func TestExportFaultsThatLast(t *testing.T) {
	for _, fc := range exportFaults {
		t.Run(fc.name, func(t *testing.T) {
			fake, events := faultOrg(t, fc.fault, 1000)
			cfg := openai.Config{AdminKey: testKey, BaseURL: os.Getenv(openai.EnvBaseURL), MaxRetryDelay: time.Millisecond, RequestTimeout: fc.requestTimeout}
			client := openai.New(cfg)
			var out bytes.Buffer
			w, _ := export.NewWriter(&out, export.JSONL)
			st, err := export.Copy(context.Background(), client, model.Query{}, w, 0)
			var e *openai.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want the client's *openai.Error", err, err)
			}
			line := "auditui: " + sanitize.OneLine(err.Error()) // what run prints
			if strings.ContainsAny(line, "\n\r\x1b") || !strings.HasSuffix(line, ".") || strings.Contains(line, testKey) {
				t.Fatalf("not one clean sentence: %q", line)
			}
			for _, s := range fc.says {
				if !strings.Contains(line, s) {
					t.Errorf("%q does not say %q", line, s)
				}
			}
			if st.Events != 100 || out.String() != jsonLines(events[:100]) {
				t.Fatalf("%d events written, want page 1 whole and once", st.Events)
			}
			checkCursors(t, afters(fake), events, fc.retries)

			fake.SetFaults()
			out.Reset()
			w, _ = export.NewWriter(&out, export.JSONL)
			if _, err := export.Copy(context.Background(), client, model.Query{After: events[99].ID}, w, 0); err != nil {
				t.Fatalf("resumed export after the fault cleared: %v", err)
			}
			if out.String() != jsonLines(events[100:]) {
				t.Fatal("the resumed export is not exactly the events after page 1")
			}
		})
	}
}

// TestExportHonoursAShortRetryAfter: a 429 asking for one second is waited
// out, then page 2 is asked for again on the same cursor.
func TestExportHonoursAShortRetryAfter(t *testing.T) {
	fake, events := faultOrg(t, fakeapi.Fault{Kind: fakeapi.RateLimited, RetryAfter: time.Second}, 1)
	r := runCLI(t, context.Background(), "export")
	if r.code != 0 || r.stderr != "" || r.stdout != jsonLines(events) {
		t.Fatalf("exit %d, stderr %q, or the output is not every event once", r.code, r.stderr)
	}
	reqs := fake.Requests()
	checkCursors(t, afters(fake), events, 2)
	if gap := reqs[2].At.Sub(reqs[1].At); gap < 900*time.Millisecond {
		t.Fatalf("page 2 was asked again %v after the 429, before the second it asked for", gap)
	}
}

// TestExportCancelledMidPage: Ctrl-C while page 2 is still arriving stops
// the command at once with page 1 written whole, and says how much was
// written; an export resumed after the last event written loses and repeats
// nothing.
func TestExportCancelledMidPage(t *testing.T) {
	fake, events := faultOrg(t, fakeapi.Fault{Kind: fakeapi.Slow, Delay: time.Hour}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Ctrl-C once page 2 has been asked for and is hanging.
		for len(fake.Requests()) < 2 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	r := runCLI(t, ctx, "export")
	if r.code != exitInterrupted || r.stderr != "auditui: interrupted; 100 events were written, each complete\n" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if r.stdout != jsonLines(events[:100]) {
		t.Fatal("page 1 was not written whole and once before the interruption")
	}
	checkCursors(t, afters(fake), events, 1)

	fake.SetFaults()
	var out bytes.Buffer
	w, _ := export.NewWriter(&out, export.JSONL)
	client := openai.New(openai.Config{AdminKey: testKey, BaseURL: os.Getenv(openai.EnvBaseURL)})
	if _, err := export.Copy(context.Background(), client, model.Query{After: events[99].ID}, w, 0); err != nil || out.String() != jsonLines(events[100:]) {
		t.Fatalf("resuming after %s: %v, or not exactly the rest", events[99].ID, err)
	}
}
