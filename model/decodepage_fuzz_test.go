package model

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzDecodePage: no body panics DecodePage or yields an empty or
// multi-line error; a decoded page holds each record exactly as it stood in
// the body, decodable again on its own, and skipped records in order.
func FuzzDecodePage(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := DecodePage(body)
		if err != nil {
			if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error is not one line: %q", msg)
			}
			if len(p.Events) != 0 || len(p.Skipped) != 0 {
				t.Fatalf("a failed page still carries %d events and %d skipped", len(p.Events), len(p.Skipped))
			}
			return
		}
		last := -1
		for _, s := range p.Skipped {
			if s.Index <= last || s.Reason == "" {
				t.Fatalf("skipped records out of order or without a reason: %+v", p.Skipped)
			}
			last = s.Index
		}
		for _, e := range p.Events {
			if !bytes.Contains(body, e.Raw) {
				t.Fatalf("Raw %q is not a span of the body", e.Raw)
			}
			checkFuzzedEvent(t, e)
		}
	})
}
