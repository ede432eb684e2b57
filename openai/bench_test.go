package openai

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/export"
	"github.com/auditui/auditui/openai/fakeapi"
)

// BenchmarkExport100k is `auditui export` from a fake endpoint holding
// 100,000 events with no latency (the 97,633 listed without tenant_only):
// the real client over loopback HTTP, pages of 100, each decoded once,
// written in each format.
func BenchmarkExport100k(b *testing.B) {
	events := fakeapi.Org(fakeapi.OrgOptions{Events: 100_000, Seed: 1, Now: orgNow})
	n := len(listed(events))
	srv := httptest.NewServer(fakeapi.New(events, fakeapi.WithKey(testKey)))
	defer srv.Close()
	c := testClient(srv.URL)
	for _, f := range export.Formats() {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w, err := export.NewWriter(io.Discard, f)
				if err != nil {
					b.Fatal(err)
				}
				st, err := export.Copy(context.Background(), c, model.Query{}, w, 0)
				if err != nil || st.Events != n {
					b.Fatalf("%d events: %v", st.Events, err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
