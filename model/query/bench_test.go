package query_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
)

// typicalQuery is what an investigator types: a type family minus noise, a
// person, where from, and a time window.
const typicalQuery = `type:api_key.* type:login.* -type:login.succeeded actor:alice@example.com actor:bob@example.com -ip:10.0.0.0/8 country:us since:30d`

// textQuery adds free text, the most expensive term: it reads payloads.
const textQuery = `category:"sign-in" "invalid_password" -bob`

var (
	millionOnce   sync.Once
	millionEvents []model.Event
)

// million builds 1,000,000 events deterministically, sharing actors and
// payloads between events as a real organisation's repeat.
func million() []model.Event {
	millionOnce.Do(func() {
		r := rand.New(rand.NewPCG(1, 1))
		emails := []string{"alice@example.com", "bob@example.com", "carol@example.org", "dan@example.com", "Eve@Example.com"}
		ips := []string{"198.51.100.7", "10.1.2.3", "203.0.113.9", "2001:db8::1", "192.0.2.44"}
		countries := []string{"US", "DE", "JP", "GB", "US"}
		var actors []model.Actor
		for i, em := range emails {
			for j, ip := range ips {
				actors = append(actors, model.Actor{Kind: model.ActorSession, Session: &model.Session{
					User: model.User{ID: fmt.Sprintf("user-%d", i), Email: em}, IPAddress: ip,
					Location: model.Location{Country: countries[j]}}})
			}
			actors = append(actors, model.Actor{Kind: model.ActorAPIKey, APIKey: &model.APIKeyActor{
				ID: fmt.Sprintf("key_%d", i), Type: model.APIKeyUser, User: model.User{ID: fmt.Sprintf("user-%d", i), Email: em}}})
		}
		types := model.EventTypes()
		var payloads [][]byte
		for i := range 200 {
			payloads = append(payloads, fmt.Appendf(nil,
				`{"id":"res_%d","data":{"scopes":["api.model.read"],"role":"owner"},"error_code":%q,"error_message":"Try again"}`,
				i, []string{"invalid_password", "mfa_required", "none"}[i%3]))
		}
		projects := []model.Project{{ID: "proj_a", Name: "Beta research"}, {ID: "proj_b", Name: "Default project"}, {}}
		start := time.Date(2026, 8, 22, 0, 0, 0, 0, time.UTC).Unix()
		events := make([]model.Event, 1_000_000)
		for i := range events {
			events[i] = model.Event{
				ID:          fmt.Sprintf("audit_log-%07d", i),
				Type:        types[r.IntN(len(types))].Name,
				EffectiveAt: time.Unix(start+int64(i)*7, 0).UTC(),
				Project:     projects[r.IntN(len(projects))],
				Actor:       actors[r.IntN(len(actors))],
				Payload:     payloads[r.IntN(len(payloads))],
			}
		}
		millionEvents = events
	})
	return millionEvents
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := query.Parse(typicalQuery, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	q, err := query.Parse(typicalQuery, testNow)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if p := query.Compile(q, testNow); len(p.Server.Types) == 0 {
			b.Fatal("no types pushed")
		}
	}
}

// BenchmarkEvaluate runs a query over 1,000,000 events: the whole query
// locally (Match, what the browser does over loaded events) and the plan
// (server filter emulated by model.Filter.Match, then the local predicate).
func BenchmarkEvaluate(b *testing.B) {
	events := million()
	for _, bc := range []struct{ name, query string }{{"typical", typicalQuery}, {"text", textQuery}} {
		q, err := query.Parse(bc.query, testNow)
		if err != nil {
			b.Fatal(err)
		}
		p := query.Compile(q, testNow)
		for _, m := range []struct {
			name  string
			match func(*model.Event) bool
		}{{"Match", q.Match}, {"Plan", p.Match}} {
			b.Run(bc.name+"/"+m.name, func(b *testing.B) {
				n := 0
				for b.Loop() {
					n = 0
					for i := range events {
						if m.match(&events[i]) {
							n++
						}
					}
				}
				if n == 0 || n == len(events) {
					b.Fatalf("%q selects %d of %d events: not a meaningful benchmark", bc.query, n, len(events))
				}
				b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(events)), "ns/event")
			})
		}
	}
}
