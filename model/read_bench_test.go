package model

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// syntheticJSONL builds n realistic records, newest first, the way the API
// sends them: sessions with browser details, user and service-account keys,
// projects, and payloads of the common types.
func syntheticJSONL(n int) []byte {
	r := rand.New(rand.NewPCG(7, 11))
	users := []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}
	agents := []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		"curl/8.5.0",
		"OpenAI/Python 1.40.0",
	}
	cities := []string{`"country":"US","city":"San Francisco","region":"California","region_code":"CA","asn":"13335","latitude":"37.77490","longitude":"-122.41940"`,
		`"country":"DE","city":"Berlin","region":"Berlin","region_code":"BE","asn":3320,"latitude":52.52,"longitude":13.405`,
		`"country":"JP","city":"Tokyo","region":"Tokyo","region_code":"13","asn":"2516","latitude":"35.6895","longitude":"139.6917"`}
	payloads := []struct{ typ, body string }{
		{"api_key.created", `{"id":"key_{n}","data":{"scopes":["api.model.read","api.files.write"]}}`},
		{"api_key.updated", `{"id":"key_{n}","changes_requested":{"scopes":["api.model.read"]}}`},
		{"login.succeeded", `{}`},
		{"login.failed", `{"error_code":"invalid_password","error_message":"Wrong email or password."}`},
		{"project.created", `{"id":"proj_{n}","data":{"name":"project-{n}","title":"Project {n}"}}`},
		{"invite.sent", `{"id":"invite-{n}","data":{"email":"new{n}@example.com","role":"reader"}}`},
		{"rate_limit.updated", `{"id":"rl-gpt-4o-{n}","changes_requested":{"max_requests_per_1_minute":500,"max_tokens_per_1_minute":30000}}`},
		{"role.updated", `{"id":"role_{n}","changes_requested":{"permissions_added":["api.audit_logs.read"],"permissions_removed":[]}}`},
		{"tenant.user.added", `{"id":"user-{n}","email":"t{n}@example.com"}`},
	}
	var b bytes.Buffer
	b.Grow(n * 700)
	at := int64(1_760_000_000)
	for i := range n {
		at -= int64(1 + r.IntN(60))
		u := users[r.IntN(len(users))]
		var actor string
		switch r.IntN(4) {
		case 0:
			actor = fmt.Sprintf(`{"type":"api_key","api_key":{"id":"key_svc%d","type":"service_account","service_account":{"id":"svc_acct_%d"}}}`, i%50, i%50)
		case 1:
			actor = fmt.Sprintf(`{"type":"api_key","api_key":{"id":"key_%s","type":"user","user":{"id":"user-%s","email":"%s@example.com"}}}`, u, u, u)
		default:
			actor = fmt.Sprintf(`{"type":"session","session":{"user":{"id":"user-%s","email":"%s@example.com"},"ip_address":"198.51.100.%d","user_agent":%q,"ja3":"a497151ce4338a12c4418c44d375173e","ja4":"q13d0313h3_55b375c5d22e_c7319ce65786","ip_address_details":{%s}}}`,
				u, u, r.IntN(255), agents[r.IntN(len(agents))], cities[r.IntN(len(cities))])
		}
		p := payloads[r.IntN(len(payloads))]
		project := ""
		if r.IntN(3) > 0 {
			project = fmt.Sprintf(`"project":{"id":"proj_%d","name":"Project %d"},`, i%20, i%20)
		}
		fmt.Fprintf(&b, `{"id":"audit_log-%08d","type":%q,"effective_at":%d,%s"actor":%s,%q:%s}`+"\n",
			i, p.typ, at, project, actor, p.typ, strings.ReplaceAll(p.body, "{n}", strconv.Itoa(i)))
	}
	return b.Bytes()
}

func TestSyntheticJSONLDecodes(t *testing.T) {
	input := syntheticJSONL(1000)
	events, skipped, err := ReadEvents(bytes.NewReader(input))
	if err != nil || len(skipped) != 0 || len(events) != 1000 {
		t.Fatalf("%d events, skipped %v, err %v", len(events), skipped, err)
	}
}

// BenchmarkReadEventsJSONL decodes 100,000 events from JSONL per iteration
// and reports events per second and allocations per event.
func BenchmarkReadEventsJSONL(b *testing.B) {
	const n = 100_000
	input := syntheticJSONL(n)
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	iterations := 0
	for b.Loop() {
		events, skipped, err := ReadEvents(bytes.NewReader(input))
		if err != nil || len(skipped) != 0 || len(events) != n {
			b.Fatalf("%d events, %d skipped, err %v", len(events), len(skipped), err)
		}
		iterations++
	}
	runtime.ReadMemStats(&after)
	total := float64(iterations * n)
	b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/event")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "B/event")
}

func BenchmarkDecodePage(b *testing.B) {
	var recs [][]byte
	for line := range bytes.Lines(syntheticJSONL(100)) {
		recs = append(recs, bytes.TrimSpace(line))
	}
	body := append(append([]byte(`{"object":"list","data":[`), bytes.Join(recs, []byte(","))...), `],"first_id":"a","last_id":"b","has_more":true}`...)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := DecodePage(body)
		if err != nil || len(p.Events) != 100 {
			b.Fatalf("%d events, err %v", len(p.Events), err)
		}
	}
}
