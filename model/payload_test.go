package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDetails(t *testing.T) {
	cases := []struct {
		name, typ, payload string
		want               Details
	}{
		{"api key scopes under data (official example)", "api_key.updated", `{"id":"key_xxxx","data":{"scopes":["resource_2.operation_2"]}}`,
			Details{ResourceID: "key_xxxx", Scopes: []string{"resource_2.operation_2"}}},
		{"api key scopes under changes_requested (schema)", "api_key.updated", `{"id":"key_1","changes_requested":{"scopes":["a","b"]}}`,
			Details{ResourceID: "key_1", Scopes: []string{"a", "b"}, Changes: []Change{{"scopes", "a, b"}}}},
		{"invite", "invite.sent", `{"id":"invite-1","data":{"email":"dave@example.com","role":"owner"}}`,
			Details{ResourceID: "invite-1", Email: "dave@example.com", Role: "owner"}},
		{"role change", "user.updated", `{"id":"user-1","changes_requested":{"role":"reader"}}`,
			Details{ResourceID: "user-1", Role: "reader", Changes: []Change{{"role", "reader"}}}},
		{"allow-list", "ip_allowlist.created", `{"id":"ipal_1","name":"office","allowed_ips":["203.0.113.0/24","2001:db8::/32"]}`,
			Details{ResourceID: "ipal_1", Name: "office", AllowedIPs: []string{"203.0.113.0/24", "2001:db8::/32"}}},
		{"sign-in failure", "login.failed", `{"error_code":"invalid_password","error_message":"Wrong email or password."}`,
			Details{ErrorCode: "invalid_password", ErrorMessage: "Wrong email or password."}},
		{"certificates", "certificates.activated", `{"certificates":[{"id":"cert_1","name":"one"},{"id":"cert_2"},"junk"]}`,
			Details{Items: []NamedID{{"cert_1", "one"}, {"cert_2", ""}}}},
		{"allow-list configs", "ip_allowlist.config.activated", `{"configs":[{"id":"cfg_1","name":"office"}]}`,
			Details{Items: []NamedID{{"cfg_1", "office"}}}},
		{"role created", "role.created", `{"id":"role_1","role_name":"Auditor","permissions":["api.audit_logs.read","api.usage.read"]}`,
			Details{ResourceID: "role_1", Name: "Auditor", Permissions: []string{"api.audit_logs.read", "api.usage.read"}}},
		{"role updated, nested metadata flattened in order", "role.updated",
			`{"id":"role_1","changes_requested":{"role_name":"Reader","permissions_added":["a"],"permissions_removed":["b","c"],"metadata":{"team":"ops","tags":["x","y"],"limits":{"max":3}},"description":null,"empty":{},"objs":[{"k":1}]}}`,
			Details{ResourceID: "role_1", PermissionsAdded: []string{"a"}, PermissionsRemoved: []string{"b", "c"},
				Changes: []Change{{"role_name", "Reader"}, {"permissions_added", "a"}, {"permissions_removed", "b, c"},
					{"metadata.team", "ops"}, {"metadata.tags", "x, y"}, {"metadata.limits.max", "3"}, {"description", "null"},
					{"empty", "{}"}, {"objs", `[{"k":1}]`}}}},
		{"project", "project.created", `{"id":"proj_1","data":{"name":"beta","title":"Beta research"}}`,
			Details{ResourceID: "proj_1", Name: "beta"}},
		{"group", "group.created", `{"id":"group_1","data":{"group_name":"Support"}}`,
			Details{ResourceID: "group_1", Name: "Support"}},
		{"no payload", "tenant.policy.created", ``, Details{}},
		{"payload not an object", "tenant.policy.created", `"text"`, Details{}},
		{"wrong-shaped fields are ignored", "api_key.created", `{"id":5,"data":{"scopes":"all"},"allowed_ips":{"a":1}}`,
			Details{ResourceID: "5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := mustDecode(t, record(c.typ, actorNull, c.payload))
			if got := e.Details(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Details()\n got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestDetailsRateLimits(t *testing.T) {
	e := mustDecode(t, record("rate_limit.updated", actorAlice, `{"id":"rl-gpt-4o","changes_requested":{
		"max_tokens_per_1_minute":30000,"max_requests_per_1_minute":"500","max_images_per_1_minute":5,
		"max_audio_megabytes_per_1_minute":20,"max_requests_per_1_day":10000,"batch_1_day_max_input_tokens":1000000,
		"max_videos_per_1_minute":2,"max_bad":"lots","note":"x"}}`))
	want := []RateLimit{
		{"max_tokens_per_1_minute", 30000, "tokens/minute"},
		{"max_requests_per_1_minute", 500, "requests/minute"}, // a numeric string is accepted
		{"max_images_per_1_minute", 5, "images/minute"},
		{"max_audio_megabytes_per_1_minute", 20, "MB of audio/minute"},
		{"max_requests_per_1_day", 10000, "requests/day"},
		{"batch_1_day_max_input_tokens", 1000000, "batch input tokens/day"},
		{"max_videos_per_1_minute", 2, ""},
	}
	d := e.Details()
	if !reflect.DeepEqual(d.RateLimits, want) {
		t.Errorf("RateLimits\n got %+v\nwant %+v", d.RateLimits, want)
	}
	if d.ResourceID != "rl-gpt-4o" {
		t.Errorf("ResourceID = %q", d.ResourceID)
	}
}

func TestPayloadTree(t *testing.T) {
	raw := json.RawMessage(`{"z":1,"a":{"y":"s\u00e9\n","b":[true,null,1.5e3]},"m":false,"z":"again"}`)
	want := Node{Kind: NodeObject, Children: []Node{
		{Key: "z", Value: "1", Kind: NodeNumber},
		{Key: "a", Kind: NodeObject, Children: []Node{
			{Key: "y", Value: "sé\n", Kind: NodeString},
			{Key: "b", Kind: NodeArray, Children: []Node{
				{Key: "0", Value: "true", Kind: NodeBool},
				{Key: "1", Value: "null", Kind: NodeNull},
				{Key: "2", Value: "1.5e3", Kind: NodeNumber},
			}},
		}},
		{Key: "m", Value: "false", Kind: NodeBool},
		{Key: "z", Value: "again", Kind: NodeString}, // duplicates kept, in order
	}}
	if got := PayloadTree(raw); !reflect.DeepEqual(got, want) {
		t.Errorf("PayloadTree\n got %+v\nwant %+v", got, want)
	}
}

func TestPayloadTreeOdd(t *testing.T) {
	if got := PayloadTree(nil); got.Kind != NodeNull || got.Value != "null" {
		t.Errorf("PayloadTree(nil) = %+v, want a null node", got)
	}
	if got := PayloadTree(json.RawMessage(`{"a":`)); got.Kind != NodeString || got.Value != `{"a":` {
		t.Errorf("PayloadTree(invalid) = %+v, want the text as a string node", got)
	}
	if got := PayloadTree(json.RawMessage(` "x" `)); got.Kind != NodeString || got.Value != "x" {
		t.Errorf("PayloadTree(string) = %+v", got)
	}
	if got := PayloadTree(json.RawMessage(`[]`)); got.Kind != NodeArray || len(got.Children) != 0 {
		t.Errorf("PayloadTree([]) = %+v", got)
	}

	// Hostile nesting is cut off at maxTreeDepth with the rest as text.
	deep := strings.Repeat(`{"k":`, 200) + "1" + strings.Repeat("}", 200)
	n := PayloadTree(json.RawMessage(deep))
	depth := 0
	for len(n.Children) > 0 {
		n = n.Children[0]
		depth++
	}
	if depth != maxTreeDepth || n.Kind != NodeObject || !strings.HasPrefix(n.Value, `{"k":{"k":`) {
		t.Errorf("deep tree stopped at depth %d with %+v", depth, n.Kind)
	}
}

func TestNodeKindString(t *testing.T) {
	for k, want := range map[NodeKind]string{NodeObject: "object", NodeArray: "array", NodeString: "string",
		NodeNumber: "number", NodeBool: "bool", NodeNull: "null", NodeKind(99): "unknown"} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", k, got, want)
		}
	}
}

func BenchmarkDetails(b *testing.B) {
	e, err := DecodeEvent([]byte(record("role.updated", actorAlice,
		`{"id":"role_1","changes_requested":{"role_name":"Reader","permissions_added":["a.read"],"permissions_removed":["b.write"]}}`)))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if d := e.Details(); d.ResourceID == "" {
			b.Fatal("no id")
		}
	}
}
