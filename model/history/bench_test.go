package history

import (
	"slices"
	"testing"
	"time"

	"github.com/auditui/auditui/openai/fakeapi"
)

// BenchmarkBuild finds one API key's history among 100,000 events, against
// reading every event's resource ids.
func BenchmarkBuild(b *testing.B) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 100_000, Seed: 1})
	id := ""
	for i := range events {
		if events[i].Type == "api_key.updated" {
			id = Objects(&events[i])[0]
			break
		}
	}
	b.Run("Build", func(b *testing.B) {
		for b.Loop() {
			if h := Build(id, events, time.Time{}); len(h.Steps) == 0 {
				b.Fatal("no steps")
			}
		}
	})
	b.Run("every payload parsed", func(b *testing.B) {
		for b.Loop() {
			var n int
			for i := range events {
				if slices.Contains(Objects(&events[i]), id) {
					n++
				}
			}
			if n == 0 {
				b.Fatal("no steps")
			}
		}
	})
}
