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

// BenchmarkExport100k is `auditui export` of 100,000 events from the fake
// endpoint with no latency: the real client over loopback HTTP, pages of
// 100, each decoded once, written as JSON Lines.
func BenchmarkExport100k(b *testing.B) {
	const n = 100_000
	events := fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 1, Now: orgNow})
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
