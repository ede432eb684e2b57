package main

import (
	"context"
	"strings"
	"testing"

	"github.com/auditui/auditui/openai/fakeapi"
)

// TestExportStopsAtAGzipBomb: page 2 is 256 KB that inflate to 256 MiB
// (small enough that a client without the cap fails this test rather than
// the machine). Export writes page 1 whole, prints one sentence and exits 1.
func TestExportStopsAtAGzipBomb(t *testing.T) {
	fake, events := faultOrg(t, fakeapi.Fault{Kind: fakeapi.GzipBomb, Size: 256 << 20}, 1000)
	r := runCLI(t, context.Background(), "export")
	if r.code != exitFailure || r.stdout != jsonLines(events[:100]) {
		t.Fatalf("exit %d with %d bytes written, want 1 and page 1 whole", r.code, len(r.stdout))
	}
	if !strings.HasPrefix(r.stderr, "auditui: Page 2 from the API was larger than 64 MiB once decompressed") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("stderr %q, want one line naming the cap", r.stderr)
	}
	if n := len(fake.Requests()); n != 2 {
		t.Fatalf("%d requests, want 2: the bomb is not asked for again", n)
	}
}
