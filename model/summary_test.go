package model

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	actorAlice = `{"type":"session","session":{"user":{"id":"user-alice","email":"alice@example.com"},"ip_address":"198.51.100.7","ip_address_details":{"country":"US"}}}`
	actorBob   = `{"type":"session","session":{"user":{"id":"user-bob","email":"bob@example.com"},"ip_address":"198.51.100.7","ip_address_details":{"country":"US","asn":64500}}}`
	actorCarol = `{"type":"api_key","api_key":{"id":"key_carol","type":"user","user":{"id":"user-carol","email":"carol@example.com"}}}`
	actorSvc   = `{"type":"api_key","api_key":{"id":"key_svc","type":"service_account","service_account":{"id":"svc_acct_1"}}}`
	actorNull  = `null`
)

// record builds one audit-log record; payload "" leaves the payload out.
func record(typ, actor, payload string) string {
	s := fmt.Sprintf(`{"id":"audit_log-1","type":%q,"effective_at":1720804190,"actor":%s`, typ, actor)
	if payload != "" {
		s += fmt.Sprintf(`,%q:%s`, typ, payload)
	}
	return s + "}"
}

func TestSummary(t *testing.T) {
	cases := []struct {
		typ, actor, payload string
		want                string
	}{
		// API keys
		{"api_key.created", actorAlice, `{"id":"key_abc","data":{"scopes":["api.model.read"]}}`,
			"alice@example.com created API key key_abc (api.model.read)"},
		{"api_key.created", actorAlice, `{"id":"key_abc","data":{"scopes":["s1","s2","s3","s4","s5","s6","s7"]}}`,
			"alice@example.com created API key key_abc (s1, s2, s3, s4, s5 and 2 more)"},
		{"api_key.created", actorAlice, `{"id":"key_abc","data":{"scopes":[]}}`,
			"alice@example.com created API key key_abc"},
		{"api_key.updated", actorAlice, `{"id":"key_abc","changes_requested":{"scopes":["api.model.read","api.files.write"]}}`,
			"alice@example.com changed the scopes of API key key_abc to api.model.read, api.files.write"},
		{"api_key.updated", actorAlice, `{"id":"key_xxxx","data":{"scopes":["resource_2.operation_2"]}}`, // the official example's shape
			"alice@example.com changed the scopes of API key key_xxxx to resource_2.operation_2"},
		{"api_key.updated", actorAlice, `{"id":"key_abc","changes_requested":{"scopes":[]}}`,
			"alice@example.com changed the scopes of API key key_abc to none"},
		{"api_key.updated", actorAlice, `{"id":"key_abc"}`, "alice@example.com updated API key key_abc"},
		{"api_key.deleted", actorNull, `{"id":"key_abc"}`, "someone deleted API key key_abc"},
		// Certificates
		{"certificate.created", actorAlice, `{"id":"cert_1","name":"prod mTLS"}`, "alice@example.com uploaded certificate prod mTLS (cert_1)"},
		{"certificate.updated", actorAlice, `{"id":"cert_1","name":"renamed"}`, "alice@example.com updated certificate renamed (cert_1)"},
		{"certificate.deleted", actorAlice, `{"id":"cert_1"}`, "alice@example.com deleted certificate cert_1"},
		{"certificates.activated", actorSvc, `{"certificates":[{"id":"cert_1","name":"one"},{"id":"cert_2"}]}`,
			"svc_acct_1 activated certificates one, cert_2"},
		{"certificates.deactivated", actorSvc, `{"certificates":[{"id":"cert_1","name":"one"}]}`, "svc_acct_1 deactivated certificates one"},
		// Fine-tuning
		{"checkpoint.permission.created", actorAlice, `{"id":"cp_1","data":{"project_id":"proj_1","fine_tuned_model_checkpoint":"ft:gpt-4o:acme:ckpt-1"}}`,
			"alice@example.com gave project proj_1 access to checkpoint ft:gpt-4o:acme:ckpt-1"},
		{"checkpoint.permission.created", actorAlice, `{"id":"cp_1"}`, "alice@example.com created checkpoint permission cp_1"},
		{"checkpoint.permission.deleted", actorAlice, `{"id":"cp_1"}`, "alice@example.com removed checkpoint permission cp_1"},
		// External keys and storage
		{"external_key.registered", actorAlice, `{"id":"ek_1","data":{"kms":"aws"}}`, "alice@example.com registered external key ek_1"},
		{"external_key.removed", actorAlice, `{"id":"ek_1"}`, "alice@example.com removed external key ek_1"},
		{"external_storage.registered", actorAlice, `{"id":"es_1","data":{"geography":"eu","provider":{"type":"aws","bucket":"logs"}}}`,
			"alice@example.com registered external storage es_1 (aws, eu)"},
		{"external_storage.removed", actorAlice, `{"id":"es_1"}`, "alice@example.com removed external storage es_1"},
		// Groups
		{"group.created", actorAlice, `{"id":"group_1","data":{"group_name":"Support"}}`, "alice@example.com created group Support (group_1)"},
		{"group.updated", actorAlice, `{"id":"group_1","changes_requested":{"group_name":"Tier 2"}}`, "alice@example.com renamed group group_1 to Tier 2"},
		{"group.deleted", actorAlice, `{"id":"group_1"}`, "alice@example.com deleted group group_1"},
		// Invites
		{"invite.sent", actorCarol, `{"id":"invite-1","data":{"email":"dave@example.com","role":"owner"}}`, "carol@example.com invited dave@example.com as owner"},
		{"invite.sent", actorCarol, `{"id":"invite-1"}`, "carol@example.com sent invite invite-1"},
		{"invite.accepted", actorAlice, `{"id":"invite-1"}`, "alice@example.com accepted invite invite-1"},
		{"invite.deleted", actorAlice, `{"id":"invite-1"}`, "alice@example.com deleted invite invite-1"},
		// IP allow-lists
		{"ip_allowlist.created", actorAlice, `{"id":"ipal_1","name":"office","allowed_ips":["203.0.113.0/24","198.51.100.7"]}`,
			"alice@example.com created IP allow-list office (ipal_1): 203.0.113.0/24, 198.51.100.7"},
		{"ip_allowlist.updated", actorAlice, `{"id":"ipal_1","allowed_ips":["203.0.113.9"]}`, "alice@example.com set IP allow-list ipal_1 to 203.0.113.9"},
		{"ip_allowlist.updated", actorAlice, `{"id":"ipal_1","allowed_ips":[]}`, "alice@example.com set IP allow-list ipal_1 to no addresses"},
		{"ip_allowlist.deleted", actorAlice, `{"id":"ipal_1","name":"office","allowed_ips":["203.0.113.0/24"]}`,
			"alice@example.com deleted IP allow-list office (ipal_1): 203.0.113.0/24"},
		{"ip_allowlist.config.activated", actorAlice, `{"configs":[{"id":"cfg_1","name":"office"},{"id":"cfg_2","name":"vpn"}]}`,
			"alice@example.com activated IP allow-lists office, vpn"},
		{"ip_allowlist.config.deactivated", actorAlice, `{"configs":[{"id":"cfg_1"}]}`, "alice@example.com deactivated IP allow-lists cfg_1"},
		// Sign-in
		{"login.succeeded", actorAlice, `{}`, "alice@example.com signed in from 198.51.100.7 (US)"},
		{"login.failed", actorBob, `{"error_code":"invalid_password","error_message":"Wrong email or password."}`,
			"failed sign-in for bob@example.com from 198.51.100.7 (US): invalid_password"},
		{"login.failed", actorNull, `{"error_message":"Too many attempts"}`, "failed sign-in for someone: Too many attempts"},
		{"logout.succeeded", actorAlice, "", "alice@example.com signed out from 198.51.100.7 (US)"},
		{"logout.failed", actorCarol, `{"error_code":"session_expired"}`, "failed sign-out for carol@example.com: session_expired"},
		// Organization
		{"organization.updated", actorAlice, `{"id":"org_1","changes_requested":{"title":"Acme","api_call_logging":"enabled_per_call"}}`,
			"alice@example.com changed organization settings: title=Acme, api_call_logging=enabled_per_call"},
		{"organization.updated", actorAlice, `{"id":"org_1"}`, "alice@example.com updated organization org_1"},
		// Projects
		{"project.created", actorAlice, `{"id":"proj_1","data":{"name":"Beta","title":"Beta research"}}`, "alice@example.com created project Beta (proj_1)"},
		{"project.updated", actorAlice, `{"id":"proj_1","changes_requested":{"title":"Gamma"}}`, "alice@example.com updated project proj_1: title=Gamma"},
		{"project.archived", actorAlice, `{"id":"proj_abc"}`, "alice@example.com archived project proj_abc"},
		{"project.deleted", actorAlice, `{"id":"proj_abc"}`, "alice@example.com deleted project proj_abc"},
		// Rate limits
		{"rate_limit.updated", actorAlice, `{"id":"rl-gpt-4o","changes_requested":{"max_requests_per_1_minute":500,"max_tokens_per_1_minute":30000,"max_images_per_1_minute":5,"max_audio_megabytes_per_1_minute":20,"max_requests_per_1_day":10000,"batch_1_day_max_input_tokens":1000000}}`,
			"alice@example.com set rate limits on rl-gpt-4o: 500 requests/minute, 30000 tokens/minute, 5 images/minute, 20 MB of audio/minute, 10000 requests/day, 1000000 batch input tokens/day"},
		{"rate_limit.updated", actorAlice, `{"id":"rl-1","changes_requested":{"max_videos_per_1_minute":3}}`,
			"alice@example.com set rate limits on rl-1: max_videos_per_1_minute=3"},
		{"rate_limit.deleted", actorAlice, `{"id":"rl-1"}`, "alice@example.com reset rate limits rl-1"},
		// Resources and tunnels
		{"resource.deleted", actorAlice, `{"id":"res_1"}`, "alice@example.com deleted resource res_1"},
		{"tunnel.created", actorAlice, `{"id":"tun_1"}`, "alice@example.com created tunnel tun_1"},
		{"tunnel.updated", actorAlice, `{"id":"tun_1"}`, "alice@example.com updated tunnel tun_1"},
		{"tunnel.deleted", actorAlice, `{"id":"tun_1"}`, "alice@example.com deleted tunnel tun_1"},
		// Workload identity
		{"workload_identity_provider.created", actorAlice, `{"id":"wip_1","data":{"name":"GitHub Actions"}}`,
			"alice@example.com added workload identity provider GitHub Actions (wip_1)"},
		{"workload_identity_provider.updated", actorAlice, `{"id":"wip_1","changes_requested":{"issuer":"https://token.example.com"}}`,
			"alice@example.com updated workload identity provider wip_1: issuer=https://token.example.com"},
		{"workload_identity_provider.deleted", actorAlice, `{"id":"wip_1","name":"GitHub Actions"}`,
			"alice@example.com deleted workload identity provider GitHub Actions (wip_1)"},
		{"workload_identity_provider_mapping.created", actorAlice, `{"id":"wipm_1","identity_provider_id":"wip_1","data":{"subject":"repo:acme/*"}}`,
			"alice@example.com created workload identity mapping wipm_1 for provider wip_1"},
		{"workload_identity_provider_mapping.updated", actorAlice, `{"id":"wipm_1","identity_provider_id":"wip_1","changes_requested":{"subject":"repo:acme/app"}}`,
			"alice@example.com updated workload identity mapping wipm_1 for provider wip_1: subject=repo:acme/app"},
		{"workload_identity_provider_mapping.deleted", actorAlice, `{"id":"wipm_1","identity_provider_id":"wip_1","project_id":"proj_1","service_account_id":"svc_acct_1"}`,
			"alice@example.com deleted workload identity mapping wipm_1 for service account svc_acct_1 in project proj_1"},
		// Roles
		{"role.created", actorAlice, `{"id":"role_1","role_name":"Auditor","permissions":["api.audit_logs.read"],"resource_type":"api.organization","resource_id":"org_1"}`,
			"alice@example.com created role Auditor (role_1) with api.audit_logs.read"},
		{"role.updated", actorAlice, `{"id":"role_1","changes_requested":{"role_name":"Reader","permissions_added":["a.read"],"permissions_removed":["b.write","c.write"]}}`,
			"alice@example.com updated role role_1: renamed to Reader; added a.read; removed b.write, c.write"},
		{"role.updated", actorAlice, `{"id":"role_1","changes_requested":{"permissions_removed":["b.write"]}}`,
			"alice@example.com updated role role_1: removed b.write"},
		{"role.deleted", actorAlice, `{"id":"role_1"}`, "alice@example.com deleted role role_1"},
		{"role.assignment.created", actorAlice, `{"id":"ra_1","principal_id":"user-dave","principal_type":"user","resource_id":"proj_1","resource_type":"api.project"}`,
			"alice@example.com assigned a role to user user-dave on api.project proj_1"},
		{"role.assignment.deleted", actorAlice, `{"id":"ra_1","principal_id":"group_1","principal_type":"group"}`,
			"alice@example.com removed a role from group group_1"},
		{"role.bound_to_resource", actorAlice, `{"id":"ws_1__conn_1","role_id":"role_1","resource_id":"ws_1__conn_1","resource_type":"connector","connector_name":"Drive","permissions":["read"],"enabled":true}`,
			"alice@example.com bound role role_1 to connector Drive (ws_1__conn_1) with read"},
		{"role.unbound_from_resource", actorAlice, `{"id":"ws_1__conn_1","role_id":"role_1","resource_type":"connector"}`,
			"alice@example.com unbound role role_1 from connector ws_1__conn_1"},
		// SCIM
		{"scim.enabled", actorAlice, `{"id":"org_1"}`, "alice@example.com enabled SCIM for org_1"},
		{"scim.disabled", actorAlice, `{"id":"org_1"}`, "alice@example.com disabled SCIM for org_1"},
		// Service accounts
		{"service_account.created", actorAlice, `{"id":"svc_acct_1","data":{"role":"member"}}`, "alice@example.com created service account svc_acct_1 as member"},
		{"service_account.updated", actorAlice, `{"id":"svc_acct_1","changes_requested":{"role":"owner"}}`, "alice@example.com changed the role of service account svc_acct_1 to owner"},
		{"service_account.deleted", actorAlice, `{"id":"svc_acct_1"}`, "alice@example.com deleted service account svc_acct_1"},
		// Users
		{"user.added", actorAlice, `{"id":"user-dave","data":{"role":"reader"}}`, "alice@example.com added user user-dave as reader"},
		{"user.updated", actorAlice, `{"id":"user-dave","changes_requested":{"role":"owner"}}`, "alice@example.com changed the role of user user-dave to owner"},
		{"user.updated", actorAlice, `{"id":"user-dave"}`, "alice@example.com updated user user-dave"},
		{"user.deleted", actorAlice, `{"id":"user-dave"}`, "alice@example.com removed user user-dave"},
		// Tenant: no payload schema, so the catalogue's sentence.
		{"tenant.user.added", actorAlice, `{"id":"user-erin","email":"erin@example.com"}`, "alice@example.com: a user was added to the tenant (erin@example.com, user-erin)"},
		{"tenant.policy.created", actorNull, "", "someone: a tenant policy was created"},
		{"tenant.microsoft_entra_mapping.deleted", actorAlice, `{"id":"map_1"}`, "alice@example.com: a Microsoft Entra mapping was deleted (map_1)"},
		{"tenant.sso.migrated", actorAlice, `{}`, "alice@example.com: single sign-on settings were migrated"},
		// Unknown types
		{"widget.frobbed", actorAlice, `{"id":"w_1","nested":{"a":[1,{"b":null}]}}`, "alice@example.com performed widget.frobbed on w_1"},
		{"widget.frobbed", actorNull, "", "someone performed widget.frobbed"},
	}
	for _, c := range cases {
		t.Run(c.typ, func(t *testing.T) {
			e := mustDecode(t, record(c.typ, c.actor, c.payload))
			if got := Summary(&e); got != c.want {
				t.Errorf("Summary(%s)\n got %q\nwant %q", c.payload, got, c.want)
			}
		})
	}
}

func TestSummaryUsesProjectName(t *testing.T) {
	e := mustDecode(t, `{"id":"a","type":"project.archived","effective_at":1,"project":{"id":"proj_1","name":"Beta research"},
		"actor":`+actorAlice+`,"project.archived":{"id":"proj_1"}}`)
	if got, want := Summary(&e), "alice@example.com archived project Beta research (proj_1)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSummaryEveryType checks that every catalogued type has its own
// well-formed sentence, whatever its payload carries.
func TestSummaryEveryType(t *testing.T) {
	noID := map[string]bool{"login.succeeded": true, "login.failed": true, "logout.succeeded": true, "logout.failed": true,
		"certificates.activated": true, "certificates.deactivated": true, "ip_allowlist.config.activated": true,
		"ip_allowlist.config.deactivated": true, "role.assignment.created": true, "role.assignment.deleted": true}
	for _, et := range EventTypes() {
		for _, payload := range []string{`{"id":"x_1"}`, "", `{"id":"x_1","data":{},"changes_requested":{}}`, `"not an object"`, `[1,2]`} {
			e := mustDecode(t, record(et.Name, actorNull, payload))
			s := Summary(&e)
			switch {
			case s == "":
				t.Errorf("%s: empty summary", et.Name)
			case strings.Contains(s, "  ") || strings.HasSuffix(s, " ") || strings.Contains(s, "( ") || strings.Contains(s, " )") || strings.HasSuffix(s, ":"):
				t.Errorf("%s: badly spaced summary %q", et.Name, s)
			case !strings.Contains(s, "someone"):
				t.Errorf("%s: summary %q does not name the null actor as someone", et.Name, s)
			case strings.Contains(s, " performed "):
				t.Errorf("%s: catalogued type got the unknown-type sentence %q", et.Name, s)
			case payload == `{"id":"x_1"}` && !noID[et.Name] && !strings.Contains(s, "x_1"):
				t.Errorf("%s: summary %q does not name the resource x_1", et.Name, s)
			}
		}
	}
}

func TestSummaryActorLabels(t *testing.T) {
	for actor, want := range map[string]string{
		actorSvc:   "svc_acct_1 deleted API key k",
		actorCarol: "carol@example.com deleted API key k",
		`{"type":"api_key","api_key":{"id":"key_only","type":"user"}}`: "key_only deleted API key k",
		`{"type":"session","session":{"user":{"id":"user-9"}}}`:        "user-9 deleted API key k",
		`{}`: "someone deleted API key k",
	} {
		e := mustDecode(t, record("api_key.deleted", actor, `{"id":"k"}`))
		if got := Summary(&e); got != want {
			t.Errorf("actor %s: got %q, want %q", actor, got, want)
		}
	}
}

func BenchmarkSummary(b *testing.B) {
	recs := []string{
		record("api_key.created", actorAlice, `{"id":"key_abc","data":{"scopes":["api.model.read","api.files.write"]}}`),
		record("login.failed", actorBob, `{"error_code":"invalid_password","error_message":"Wrong email or password."}`),
		record("rate_limit.updated", actorAlice, `{"id":"rl-gpt-4o","changes_requested":{"max_requests_per_1_minute":500,"max_tokens_per_1_minute":30000}}`),
		record("role.updated", actorSvc, `{"id":"role_1","changes_requested":{"role_name":"Reader","permissions_added":["a.read"],"permissions_removed":["b.write"]}}`),
		record("tenant.user.added", actorCarol, `{"id":"user-erin","email":"erin@example.com"}`),
		record("login.succeeded", actorAlice, `{}`),
	}
	events := make([]Event, len(recs))
	for i, r := range recs {
		e, err := DecodeEvent([]byte(r))
		if err != nil {
			b.Fatal(err)
		}
		events[i] = e
	}
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		n += len(Summary(&events[i%len(events)]))
	}
	if n == 0 {
		b.Fatal("no summaries")
	}
}

func TestSummaryClipsLongValues(t *testing.T) {
	long := strings.Repeat("é", 5000)
	for _, c := range []struct{ typ, payload string }{
		{"organization.updated", `{"id":"org_1","changes_requested":{"description":"` + long + `"}}`},
		{"certificate.created", `{"id":"cert_1","name":"` + long + `"}`},
		{"api_key.created", `{"id":"key_1","data":{"scopes":["` + long + `"]}}`},
		{"login.failed", `{"error_message":"` + long + `"}`},
		{"tenant.user.added", `{"id":"` + long + `"}`},
		{"widget.frobbed", `{"id":"` + long + `"}`},
	} {
		e := mustDecode(t, record(c.typ, actorAlice, c.payload))
		s := Summary(&e)
		if n := utf8.RuneCountInString(s); n > 200 || !strings.Contains(s, strings.Repeat("é", valueLimit)+"…") {
			t.Errorf("%s: summary of %d characters, want the value cut at %d with …: %.120q", c.typ, n, valueLimit, s)
		}
	}
	if got := clipValue(strings.Repeat("a", valueLimit)); got != strings.Repeat("a", valueLimit) {
		t.Errorf("a value of exactly the limit was clipped: %q", got)
	}
}
