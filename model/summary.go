package model

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/auditui/auditui/model/sanitize"
)

// listLimit is how many items of a list a summary names before "and N more".
const listLimit = 5

// valueLimit is how many characters of one value a summary shows; the
// detail view has the rest.
const valueLimit = 80

// clipValue shortens s to valueLimit characters, marking the cut with "…".
func clipValue(s string) string {
	if head, cut := sanitize.CutChars(s, valueLimit); cut {
		return head + "…"
	}
	return s
}

// Summary is a one-line sentence for people about what happened, such as
// "alice@example.com created API key key_abc (api.model.read)". It reads the
// payload once. The text comes from the API and is not sanitised here: the UI
// does that.
func Summary(e *Event) string {
	who := e.Actor.Label()
	if who == "" {
		who = "someone"
	}
	v := viewPayload(e.Payload)
	id := scalar(v.id)
	var s sentence
	s.b.Grow(96)

	switch e.Type {
	case "api_key.created":
		s.add(who, "created API key", id)
		s.paren(v.anyScopes())
	case "api_key.updated":
		if sc := v.anyScopes(); sc.IsArray() {
			s.add(who, "changed the scopes of API key", id, "to")
			s.list(sc, " ", "none")
		} else {
			s.add(who, "updated API key", id)
		}
	case "api_key.deleted":
		s.add(who, "deleted API key", id)

	case "certificate.created":
		s.add(who, "uploaded certificate")
		s.named(scalar(v.name), id)
	case "certificate.updated":
		s.add(who, "updated certificate")
		s.named(scalar(v.name), id)
	case "certificate.deleted":
		s.add(who, "deleted certificate")
		s.named(scalar(v.name), id)
	case "certificates.activated":
		s.add(who, "activated certificates")
		s.items(v.certificates)
	case "certificates.deactivated":
		s.add(who, "deactivated certificates")
		s.items(v.certificates)

	case "checkpoint.permission.created":
		if ck := scalar(v.dCheckpoint); ck != "" {
			s.add(who, "gave project", orDefault(scalar(v.dProjectID), "(unknown)"), "access to checkpoint", ck)
		} else {
			s.add(who, "created checkpoint permission", id)
		}
	case "checkpoint.permission.deleted":
		s.add(who, "removed checkpoint permission", id)

	case "external_key.registered":
		s.add(who, "registered external key", id)
	case "external_key.removed":
		s.add(who, "removed external key", id)
	case "external_storage.registered":
		s.add(who, "registered external storage", id)
		s.parenText(joinNonEmpty(", ", v.dProvider.Get("type").String(), scalar(v.dGeography)))
	case "external_storage.removed":
		s.add(who, "removed external storage", id)

	case "group.created":
		s.add(who, "created group")
		s.named(scalar(v.dGroupName), id)
	case "group.updated":
		if n := scalar(v.cGroupName); n != "" {
			s.add(who, "renamed group", id, "to", n)
		} else {
			s.add(who, "updated group", id)
		}
	case "group.deleted":
		s.add(who, "deleted group", id)

	case "invite.sent":
		if email := firstString(v.dEmail, v.email); email != "" {
			s.add(who, "invited", email)
			if r := v.anyRole(); r != "" {
				s.add("as", r)
			}
		} else {
			s.add(who, "sent invite", id)
		}
	case "invite.accepted":
		s.add(who, "accepted invite", id)
	case "invite.deleted":
		s.add(who, "deleted invite", id)

	case "ip_allowlist.created":
		s.add(who, "created IP allow-list")
		s.named(scalar(v.name), id)
		s.colonList(v.allowedIPs)
	case "ip_allowlist.updated":
		s.add(who, "set IP allow-list")
		s.named(scalar(v.name), id)
		if v.allowedIPs.IsArray() {
			s.add("to")
			s.list(v.allowedIPs, " ", "no addresses")
		}
	case "ip_allowlist.deleted":
		s.add(who, "deleted IP allow-list")
		s.named(scalar(v.name), id)
		s.colonList(v.allowedIPs)
	case "ip_allowlist.config.activated":
		s.add(who, "activated IP allow-lists")
		s.items(v.configs)
	case "ip_allowlist.config.deactivated":
		s.add(who, "deactivated IP allow-lists")
		s.items(v.configs)

	case "login.succeeded":
		s.add(who, "signed in")
		s.from(e)
	case "login.failed":
		s.add("failed sign-in for", who)
		s.from(e)
		s.reason(&v)
	case "logout.succeeded":
		s.add(who, "signed out")
		s.from(e)
	case "logout.failed":
		s.add("failed sign-out for", who)
		s.from(e)
		s.reason(&v)

	case "organization.updated":
		if v.hasChanges {
			s.add(who, "changed organization settings")
			s.changes(v.changes)
		} else {
			s.add(who, "updated organization", id)
		}

	case "project.created":
		s.add(who, "created project")
		s.named(firstString(v.dName, v.dTitle), id)
	case "project.updated":
		s.add(who, "updated project")
		s.named(projectName(e, id), id)
		s.changes(v.changes)
	case "project.archived":
		s.add(who, "archived project")
		s.named(projectName(e, id), id)
	case "project.deleted":
		s.add(who, "deleted project")
		s.named(projectName(e, id), id)

	case "rate_limit.updated":
		s.add(who, "set rate limits")
		if id != "" {
			s.add("on", id)
		}
		s.rateLimits(v.changes)
	case "rate_limit.deleted":
		s.add(who, "reset rate limits", id)

	case "resource.deleted":
		s.add(who, "deleted resource", id)
	case "tunnel.created":
		s.add(who, "created tunnel", id)
	case "tunnel.updated":
		s.add(who, "updated tunnel", id)
	case "tunnel.deleted":
		s.add(who, "deleted tunnel", id)

	case "workload_identity_provider.created":
		s.add(who, "added workload identity provider")
		s.named(firstString(v.name, v.dName), id)
	case "workload_identity_provider.updated":
		s.add(who, "updated workload identity provider", id)
		s.changes(v.changes)
	case "workload_identity_provider.deleted":
		s.add(who, "deleted workload identity provider")
		s.named(scalar(v.name), id)
	case "workload_identity_provider_mapping.created":
		s.add(who, "created workload identity mapping", id)
		s.provider(&v)
	case "workload_identity_provider_mapping.updated":
		s.add(who, "updated workload identity mapping", id)
		s.provider(&v)
		s.changes(v.changes)
	case "workload_identity_provider_mapping.deleted":
		s.add(who, "deleted workload identity mapping", id)
		if sa := scalar(v.serviceAccountID); sa != "" {
			s.add("for service account", sa)
		}
		if p := scalar(v.projectID); p != "" {
			s.add("in project", p)
		}

	case "role.created":
		s.add(who, "created role")
		s.named(scalar(v.roleName), id)
		if v.permissions.IsArray() {
			s.add("with")
			s.list(v.permissions, " ", "no permissions")
		}
	case "role.updated":
		s.add(who, "updated role", id)
		s.roleChanges(&v)
	case "role.deleted":
		s.add(who, "deleted role", id)
	case "role.assignment.created":
		s.add(who, "assigned a role to")
		s.principal(&v)
		s.on(&v)
	case "role.assignment.deleted":
		s.add(who, "removed a role from")
		s.principal(&v)
		s.on(&v)
	case "role.bound_to_resource":
		s.add(who, "bound role", orDefault(scalar(v.roleID), "(unknown)"), "to")
		s.resource(&v, id)
		if hasScalars(v.permissions) {
			s.add("with")
			s.list(v.permissions, " ", "")
		}
	case "role.unbound_from_resource":
		s.add(who, "unbound role", orDefault(scalar(v.roleID), "(unknown)"), "from")
		s.resource(&v, id)

	case "scim.enabled":
		s.add(who, "enabled SCIM")
		if id != "" {
			s.add("for", id)
		}
	case "scim.disabled":
		s.add(who, "disabled SCIM")
		if id != "" {
			s.add("for", id)
		}

	case "service_account.created":
		s.add(who, "created service account", id)
		if r := v.anyRole(); r != "" {
			s.add("as", r)
		}
	case "service_account.updated":
		s.roleChange(who, "service account", id, v.anyRole())
	case "service_account.deleted":
		s.add(who, "deleted service account", id)

	case "user.added":
		s.add(who, "added user", id)
		if r := v.anyRole(); r != "" {
			s.add("as", r)
		}
	case "user.updated":
		s.roleChange(who, "user", id, v.anyRole())
	case "user.deleted":
		s.add(who, "removed user", id)

	default:
		t, known := LookupType(e.Type)
		if !known {
			s.add(who, "performed", e.Type)
			if id != "" {
				s.add("on", id)
			}
			break
		}
		// Catalogued types without a payload schema (tenant.*): the
		// catalogue's sentence and what the payload names, if anything.
		s.add(who+":", lowerFirst(t.Description))
		s.parenText(joinNonEmpty(", ", firstString(v.dEmail, v.email), v.displayName(), id))
	}
	return s.b.String()
}

// projectName is the project's name from the event's project field when it
// is the project acted on.
func projectName(e *Event, id string) string {
	if id != "" && e.Project.ID == id {
		return e.Project.Name
	}
	return ""
}

// sentence builds a summary word by word, skipping empty words so missing
// fields never leave double spaces.
type sentence struct{ b strings.Builder }

func (s *sentence) add(words ...string) {
	for _, w := range words {
		if w == "" {
			continue
		}
		if s.b.Len() > 0 {
			s.b.WriteByte(' ')
		}
		s.b.WriteString(clipValue(w))
	}
}

// named writes "name (id)", or whichever of the two is known.
func (s *sentence) named(name, id string) {
	switch {
	case name != "" && id != "" && name != id:
		s.add(name)
		s.b.WriteString(" (" + clipValue(id) + ")")
	case name != "":
		s.add(name)
	default:
		s.add(id)
	}
}

// list writes lead and then the scalars of a JSON array joined with ", ",
// at most listLimit of them; for an array without scalars it writes lead
// and none, or nothing when none is "".
func (s *sentence) list(arr gjson.Result, lead, none string) {
	n := 0
	arr.ForEach(func(_, x gjson.Result) bool {
		t := scalar(x)
		if t == "" {
			return true
		}
		if n < listLimit {
			if n == 0 {
				s.b.WriteString(lead)
			} else {
				s.b.WriteString(", ")
			}
			s.b.WriteString(clipValue(t))
		}
		n++
		return true
	})
	switch {
	case n == 0 && none != "":
		s.b.WriteString(lead + none)
	case n > listLimit:
		s.b.WriteString(" and " + strconv.Itoa(n-listLimit) + " more")
	}
}

// paren writes " (a, b)" for a JSON array with scalars in it.
func (s *sentence) paren(arr gjson.Result) {
	if hasScalars(arr) {
		s.list(arr, " (", "")
		s.b.WriteByte(')')
	}
}

// hasScalars reports whether arr is an array holding a non-empty scalar.
func hasScalars(arr gjson.Result) bool {
	if !arr.IsArray() {
		return false
	}
	found := false
	arr.ForEach(func(_, x gjson.Result) bool {
		found = scalar(x) != ""
		return !found
	})
	return found
}

func (s *sentence) parenText(t string) {
	if t != "" {
		s.b.WriteString(" (" + clipValue(t) + ")")
	}
}

// colonList writes ": a, b" for a JSON array with scalars in it.
func (s *sentence) colonList(arr gjson.Result) {
	s.list(arr, ": ", "")
}

// items writes the names (else ids) of certificates[] or configs[].
func (s *sentence) items(arr gjson.Result) {
	n := 0
	arr.ForEach(func(_, x gjson.Result) bool {
		name := x.Get("name").String()
		if name == "" {
			name = x.Get("id").String()
		}
		if name == "" {
			return true
		}
		if n < listLimit {
			if n == 0 {
				s.add(name)
			} else {
				s.b.WriteString(", " + clipValue(name))
			}
		}
		n++
		return true
	})
	if n > listLimit {
		s.b.WriteString(" and " + strconv.Itoa(n-listLimit) + " more")
	}
}

// from writes " from 198.51.100.7 (US)" for a session actor.
func (s *sentence) from(e *Event) {
	if ip := e.Actor.IP(); ip != "" {
		s.add("from", ip)
		if c := e.Actor.Country(); c != "" {
			s.b.WriteString(" (" + clipValue(c) + ")")
		}
	}
}

// reason writes ": error_code" (else the message) of a failed sign-in.
func (s *sentence) reason(v *payloadView) {
	if r := firstString(v.errorCode, v.errorMessage); r != "" {
		s.b.WriteString(": " + clipValue(r))
	}
}

// changes writes ": field=value, ..." from changes_requested.
func (s *sentence) changes(obj gjson.Result) {
	if !obj.IsObject() {
		return
	}
	n := 0
	obj.ForEach(func(k, x gjson.Result) bool {
		if n == listLimit {
			n++
			s.b.WriteString(", ...")
			return false
		}
		if n == 0 {
			s.b.WriteString(": ")
		} else {
			s.b.WriteString(", ")
		}
		s.b.WriteString(clipValue(k.Str))
		s.b.WriteByte('=')
		s.b.WriteString(clipValue(valueText(x)))
		n++
		return true
	})
}

// rateLimits writes ": 500 requests/minute, 20 MB of audio/minute".
func (s *sentence) rateLimits(changes gjson.Result) {
	n := 0
	changes.ForEach(func(k, x gjson.Result) bool {
		unit, known := rateLimitUnits[k.Str]
		v, ok := intValue(x)
		if !ok {
			return true
		}
		if n == 0 {
			s.b.WriteString(": ")
		} else {
			s.b.WriteString(", ")
		}
		if known {
			s.b.WriteString(strconv.FormatInt(v, 10) + " " + unit)
		} else {
			s.b.WriteString(clipValue(k.Str) + "=" + strconv.FormatInt(v, 10))
		}
		n++
		return true
	})
}

func (s *sentence) provider(v *payloadView) {
	if p := scalar(v.identityProviderID); p != "" {
		s.add("for provider", p)
	}
}

func (s *sentence) roleChanges(v *payloadView) {
	sep := ": "
	if n := scalar(v.cRoleName); n != "" {
		s.b.WriteString(sep + "renamed to " + n)
		sep = "; "
	}
	if hasScalars(v.cPermissionsAdded) {
		s.b.WriteString(sep + "added")
		s.list(v.cPermissionsAdded, " ", "")
		sep = "; "
	}
	if hasScalars(v.cPermissionsRemoved) {
		s.b.WriteString(sep + "removed")
		s.list(v.cPermissionsRemoved, " ", "")
	}
}

func (s *sentence) roleChange(who, kind, id, role string) {
	if role == "" {
		s.add(who, "updated", kind, id)
		return
	}
	s.add(who, "changed the role of", kind, id, "to", role)
}

// principal writes "user user-abc" or "group group-1".
func (s *sentence) principal(v *payloadView) {
	s.add(orDefault(scalar(v.principalType), "principal"), orDefault(scalar(v.principalID), "(unknown)"))
}

// on writes " on project proj_1" for a scoped role assignment.
func (s *sentence) on(v *payloadView) {
	if r := scalar(v.resourceID); r != "" {
		s.add("on", scalar(v.resourceType), r)
	}
}

// resource writes the resource a role was bound to, preferring the
// connector's display name.
func (s *sentence) resource(v *payloadView, id string) {
	target := firstString(v.resourceID, v.id)
	s.add(orDefault(scalar(v.resourceType), "resource"))
	s.named(scalar(v.connectorName), orDefault(target, id))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func joinNonEmpty(sep string, parts ...string) string {
	var out string
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}

// lowerFirst lowercases a leading capital of an ordinary word ("A user" ->
// "a user") but keeps acronyms ("SCIM", "IP") as written.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
