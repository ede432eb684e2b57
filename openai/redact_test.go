package openai

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// orgPage is a page of 100 events from the synthetic organisation, as sent.
func orgPage(t testing.TB) []byte {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 100, Seed: 1, Now: orgNow})
	raws := make([]json.RawMessage, len(events))
	for i := range events {
		raws[i] = events[i].Raw
	}
	b, err := json.Marshal(map[string]any{"object": "list", "data": raws, "has_more": false})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRedactorLeavesOtherTextAlone(t *testing.T) {
	page := orgPage(t)
	if got := newRedactor(testKey).Bytes(page); &got[0] != &page[0] {
		t.Fatal("a page without the key was copied")
	}
	if got := newRedactor("").Text("x " + testKey); got != "x "+testKey {
		t.Fatalf("no key redacted something: %q", got)
	}
	for _, s := range []string{"TESTKEY-3f9", "sk-admin-", "3f9c2a7d5e1", "plain words, 3f9c2a7d5e1 and more"} {
		if got := newRedactor(testKey).Text(s); got != s {
			t.Errorf("Text(%q) = %q: fewer than 12 characters of the key were redacted", s, got)
		}
	}
}

// BenchmarkDecodePage is a page of 100 events read with the key looked for
// first (redacted) and without (plain), in the same run.
func BenchmarkDecodePage(b *testing.B) {
	page := orgPage(b)
	r := newRedactor(testKey)
	for _, c := range []struct {
		name string
		pre  func([]byte) []byte
	}{{"plain", func(b []byte) []byte { return b }}, {"redacted", r.Bytes}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if _, err := model.DecodePage(c.pre(page)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRedactPage(b *testing.B) {
	page := orgPage(b)
	r := newRedactor(testKey)
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if !bytes.Equal(r.Bytes(page), page) {
			b.Fatal("changed")
		}
	}
}
