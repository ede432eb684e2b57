package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/openai/fakeapi"
)

// TestHistoryOfAFileSameAsHeld: history over --file, whose events read
// their records back from it, prints the same bytes in every format as over
// the same file piped in, whose records are held.
func TestHistoryOfAFileSameAsHeld(t *testing.T) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 3000, Seed: 3, Now: orgNow, Hostile: true})
	path, data, err := fakeapi.SaveJSONL(t.TempDir(), events)
	if err != nil {
		t.Fatal(err)
	}
	id := objectWithChanges(t, events, "api_key.updated")
	for _, format := range []string{"text", "jsonl", "json"} {
		fromFile := runCLI(t, context.Background(), "history", "--file", path, id, "--format", format)
		var out, errb bytes.Buffer
		a := newApp(bytes.NewReader(data), &out, &errb)
		a.now = func() time.Time { return orgNow }
		code := run(context.Background(), []string{"history", "--file", "-", id, "--format", format}, a)
		if fromFile.code != 0 || code != 0 || fromFile.stdout != out.String() || !strings.Contains(out.String(), "audit_log-") {
			t.Errorf("%s: from the file (exit %d) %q; piped (exit %d) %q; stderr %s %s", format, fromFile.code, fromFile.stdout, code, out.String(), fromFile.stderr, errb.String())
		}
	}
}
