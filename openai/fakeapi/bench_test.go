package fakeapi

import (
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkOrg1M builds the million-event organisation that other packages'
// benchmarks use.
func BenchmarkOrg1M(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		events := Org(OrgOptions{Events: 1_000_000, Seed: 1, Hostile: true})
		if len(events) != 1_000_000 {
			b.Fatalf("got %d events", len(events))
		}
	}
	b.ReportMetric(float64(1_000_000*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkServePage serves pages of 100 from a 100k-event organisation,
// walking the after cursor so that each page is a different one.
func BenchmarkServePage(b *testing.B) {
	events := Org(OrgOptions{Events: 100_000, Seed: 1, Now: time.Unix(1_767_225_600, 0)})
	s := New(events)
	next := 0 // position of the next page's first event
	b.ReportAllocs()
	for b.Loop() {
		target := Path + "?limit=100"
		if next > 0 {
			target += "&after=" + events[next-1].ID
		}
		req := httptest.NewRequest("GET", target, nil)
		req.Header.Set("Authorization", "Bearer "+DefaultKey)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if next += 100; next >= len(events) {
			next = 0
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkServeFilteredPage serves the first page of a rare type from a
// 100k-event organisation: the server scans past everything else.
func BenchmarkServeFilteredPage(b *testing.B) {
	s := New(Org(OrgOptions{Events: 100_000, Seed: 1, Now: time.Unix(1_767_225_600, 0)}))
	req := httptest.NewRequest("GET", Path+"?limit=100&event_types[]=api_key.deleted&event_types[]=invite.deleted", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultKey)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
