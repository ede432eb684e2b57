package query_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
)

// testNow is the fixed "now" of every test.
var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// synthOrg builds a deterministic organisation of n decoded events, newest
// first, with the shapes that make pushdown tricky beyond fakeapi.Org: upper-case emails, API
// keys owned by users, service accounts, null actors, missing projects,
// IPv6 and IPv4-mapped addresses, unparsable IPs, fractional timestamps,
// unknown event types and hostile strings.
func synthOrg(tb testing.TB, n int, seed uint64) []model.Event {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	users := []struct{ id, email string }{
		{"user-alice", "alice@example.com"}, {"user-bob", "Bob@Example.com"}, {"user-carol", "carol@example.org"},
		{"user-dan", "dan+audit@example.com"}, {"user-eve", "eve@évil.example"}, {"user-ünï", "ÜNÏ@example.com"},
	}
	ips := []string{"198.51.100.7", "198.51.100.200", "203.0.113.9", "10.1.2.3", "2001:db8::1", "2001:db8:0:1::5",
		"::ffff:198.51.100.9", "not-an-ip", "", "fe80::1%eth0"}
	countries := []string{"US", "DE", "jp", "", "GB"}
	projects := []struct{ id, name string }{
		{"proj_beta", "Beta research"}, {"proj_default", "Default project"}, {"proj_uni", "Équipe Ünïcode"},
		{"proj_ctrl", "evil\x1b[31mred\u202ename"}, {"", ""}, {"proj_noname", ""},
	}
	types := model.EventTypes()
	unknown := []string{"api_key.rotated", "tenant.brand_new.thing", "mystery.event"}
	hostile := []string{"plain", strings.Repeat("A", 5000), "\x1b]0;pwned\x07", "名前テスト", "back\\slash \"quoted\"", "line\nbreak"}
	start := testNow.Add(-90 * 24 * time.Hour).Unix()
	span := int64(90 * 24 * 3600)

	events := make([]model.Event, 0, n)
	for i := range n {
		typ := types[r.IntN(len(types))].Name
		if r.IntN(20) == 0 {
			typ = unknown[r.IntN(len(unknown))]
		}
		rec := map[string]any{
			"id":   fmt.Sprintf("audit_log-%06d", i),
			"type": typ,
		}
		at := start + span*int64(n-i)/int64(n)
		if r.IntN(10) == 0 {
			rec["effective_at"] = float64(at) + 0.5
		} else {
			rec["effective_at"] = at
		}
		u := users[r.IntN(len(users))]
		switch r.IntN(6) {
		case 0, 1, 2:
			rec["actor"] = map[string]any{"type": "session", "session": map[string]any{
				"user":               map[string]any{"id": u.id, "email": u.email},
				"ip_address":         ips[r.IntN(len(ips))],
				"user_agent":         hostile[r.IntN(len(hostile))],
				"ip_address_details": map[string]any{"country": countries[r.IntN(len(countries))], "city": "Springfield"},
			}}
		case 3:
			rec["actor"] = map[string]any{"type": "api_key", "api_key": map[string]any{
				"id": fmt.Sprintf("key_%d", r.IntN(5)), "type": "user", "user": map[string]any{"id": u.id, "email": u.email},
			}}
		case 4:
			rec["actor"] = map[string]any{"type": "api_key", "api_key": map[string]any{
				"id": fmt.Sprintf("key_sa%d", r.IntN(3)), "type": "service_account",
				"service_account": map[string]any{"id": fmt.Sprintf("svc_acct_%d", r.IntN(3))},
			}}
		case 5:
			rec["actor"] = nil
		}
		if p := projects[r.IntN(len(projects))]; p.id != "" {
			proj := map[string]any{"id": p.id}
			if p.name != "" {
				proj["name"] = p.name
			}
			rec["project"] = proj
		}
		payload := map[string]any{"id": fmt.Sprintf("res_%d", r.IntN(40))}
		switch r.IntN(5) {
		case 0:
			payload["data"] = map[string]any{"scopes": []string{"api.model.read", "api.files.write"}, "role": "owner"}
		case 1:
			payload["name"] = hostile[r.IntN(len(hostile))]
			payload["allowed_ips"] = []string{"192.0.2.0/24"}
		case 2:
			delete(payload, "id")
			payload["certificates"] = []map[string]any{{"id": fmt.Sprintf("cert_%d", r.IntN(5)), "name": "Root CA"}}
		case 3:
			payload["changes_requested"] = map[string]any{"max_requests_per_1_minute": r.IntN(1000), "enabled": r.IntN(2) == 0,
				"nested": map[string]any{"deep": []any{"Needle-In-Payload", nil, 3.25}}}
		case 4:
			payload["error_code"] = "invalid_password"
			payload["error_message"] = "Wrong password for Ünïcode user"
		}
		rec[typ] = payload
		raw, err := json.Marshal(rec)
		if err != nil {
			tb.Fatal(err)
		}
		e, err := model.DecodeEvent(raw)
		if err != nil {
			tb.Fatalf("decode synthetic event %d: %v", i, err)
		}
		events = append(events, e)
	}
	// Newest first, as the API and the fake serve them.
	for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
		events[i], events[j] = events[j], events[i]
	}
	return events
}
