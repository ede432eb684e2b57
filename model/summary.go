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
// "alice@example.com created API key key_abc (api.model.read)", worded by
// the type's catalogue row. It reads the payload once. The text comes from
// the API and is not sanitised here: the UI does that.
func Summary(e *Event) string { return SummaryFrom(e, nil) }

// Before says what a field of the event's object was before the event (a
// payload key as history folds it, e.g. "role"), and whether that is known.
type Before func(field string) (string, bool)

// SummaryFrom is Summary saying "from X to Y" for the changed scalar fields
// whose value before is known by before (nil: none is); see ReadsBefore.
func SummaryFrom(e *Event, before Before) string {
	t, _ := LookupType(e.Type)
	c := summaryCtx{e: e, t: t, v: viewPayload(e.Payload), who: e.Actor.Label(), before: before}
	if c.who == "" {
		c.who = "someone"
	}
	c.id = scalar(c.v.id)
	c.s.b.Grow(96)
	if !c.form() {
		c.s.add(c.who, t.Verb, t.Noun)
		c.parts(t.Parts)
	}
	return c.s.b.String()
}

// summaryCtx is what a form or part reads while it writes the sentence.
type summaryCtx struct {
	s       sentence
	e       *Event
	t       EventType
	v       payloadView
	who, id string
	before  Before
}

// ReadsBefore reports whether SummaryFrom words events of the type with
// their fields' values before: role changes, renames, settings and the
// changes listed of an update (project.updated).
func ReadsBefore(typ string) bool {
	t, _ := LookupType(typ)
	return t.Form == formRoleChange || t.Form == formRename || t.Form == formSettings || t.Parts&partChanges != 0
}

// from writes "from X" when the field's value before is known and not empty.
func (c *summaryCtx) from(field string) {
	if c.before == nil {
		return
	}
	if b, ok := c.before(field); ok && b != "" {
		c.s.add("from", b)
	}
}

// Form is the shape of a summary sentence when it is not "who verb noun"
// followed by the row's Parts.
type Form uint8

const (
	formPlain      Form = iota
	formFailed          // "failed sign-in for who", then Parts
	formScopes          // "who changed the scopes of API key id to a, b", else "who updated API key id"
	formCheckpoint      // "who gave project p access to checkpoint c", else "who verb noun id"
	formRename          // "who renamed group id to name", else "who updated group id"
	formInvite          // "who invited email as role", else "who sent invite id"
	formSettings        // "who changed organization settings: k=v", else "who updated organization id"
	formRoleChange      // "who changed the role of user id to role", else "who updated user id"
	formBind            // "who bound role r to resource x with perms"
	formUnbind          // "who unbound role r from resource x"
	formDescribe        // "who: <description> (what the payload names)"
	formUnknown         // "who performed type on id"
)

// form writes the whole sentence for the row's Form; false for formPlain.
func (c *summaryCtx) form() bool {
	switch c.t.Form {
	case formFailed:
		c.s.add(c.t.Verb, c.t.Noun, "for", c.who)
		c.parts(c.t.Parts)
	case formScopes:
		if sc := c.v.anyScopes(); sc.IsArray() {
			c.s.add(c.who, c.t.Verb, c.t.Noun, c.id, "to")
			c.s.list(sc, " ", "none")
			return true
		}
		c.updated()
	case formCheckpoint:
		if ck := scalar(c.v.dCheckpoint); ck != "" {
			c.s.add(c.who, "gave project", orDefault(scalar(c.v.dProjectID), "(unknown)"), "access to checkpoint", ck)
			return true
		}
		c.s.add(c.who, c.t.Verb, c.t.Noun, c.id)
	case formRename:
		c.fromTo("group_name", scalar(c.v.cGroupName))
	case formInvite:
		email := firstString(c.v.dEmail, c.v.email)
		if email == "" {
			c.s.add(c.who, c.t.Verb, c.t.Noun, c.id)
			return true
		}
		c.s.add(c.who, "invited", email)
		c.parts(partRole)
	case formSettings:
		if !c.v.hasChanges {
			c.updated()
			return true
		}
		c.s.add(c.who, c.t.Verb, c.t.Noun, "settings")
		c.s.changes(c.v.changes, c.before)
	case formRoleChange:
		c.fromTo("role", c.v.anyRole())
	case formBind:
		c.s.add(c.who, c.t.Verb, c.t.Noun, orDefault(scalar(c.v.roleID), "(unknown)"), "to")
		c.s.resource(&c.v, c.id)
		if hasScalars(c.v.permissions) {
			c.s.add("with")
			c.s.list(c.v.permissions, " ", "")
		}
	case formUnbind:
		c.s.add(c.who, c.t.Verb, c.t.Noun, orDefault(scalar(c.v.roleID), "(unknown)"), "from")
		c.s.resource(&c.v, c.id)
	case formDescribe:
		// Types without a payload schema: the description and what the
		// payload names, if anything.
		c.s.add(c.who+":", lowerFirst(c.t.Description))
		c.s.parenText(joinNonEmpty(", ", firstString(c.v.dEmail, c.v.email), c.v.displayName(), c.id))
	case formUnknown:
		c.s.add(c.who, "performed", c.e.Type)
		c.parts(partOnID)
	default:
		return false
	}
	return true
}

// updated is the fallback of the forms that name a change: "who updated noun id".
func (c *summaryCtx) updated() { c.s.add(c.who, "updated", c.t.Noun, c.id) }

// fromTo is a renaming or a role change: "who verb noun id from X to to"
// when the new value is known, else "who updated noun id".
func (c *summaryCtx) fromTo(field, to string) {
	if to == "" {
		c.updated()
		return
	}
	c.s.add(c.who, c.t.Verb, c.t.Noun, c.id)
	c.from(field)
	c.s.add("to", to)
}

// Parts are what a plain summary says after "who verb noun", each when the
// payload has it, in this order.
type Parts uint32

const (
	partID          Parts = 1 << iota // the payload's id
	partNamed                         // "name (id)"
	partProject                       // "name (id)" with the name from the event's project
	partOnID                          // "on id"
	partForID                         // "for id"
	partScopes                        // " (scope, scope)"
	partItems                         // the names (else ids) of certificates[] or configs[]
	partStorage                       // " (provider, geography)"
	partIPs                           // ": address, address"
	partIPsTo                         // "to address, address"
	partPermissions                   // "with permission, permission"
	partRole                          // "as role"
	partProvider                      // "for provider p"
	partMapped                        // "for service account s in project p"
	partPrincipal                     // "user u on project p"
	partFrom                          // "from 198.51.100.7 (US)"
	partReason                        // ": error_code"
	partRoleChanges                   // ": renamed to r; added p; removed q"
	partChanges                       // ": field=value, ..."
	partRateLimits                    // ": 500 requests/minute, ..."
	numParts        = iota
)

// part writes one of the Parts.
func (c *summaryCtx) part(p Parts) {
	switch p {
	case partID:
		c.s.add(c.id)
	case partNamed:
		c.s.named(c.v.displayName(), c.id)
	case partProject:
		c.s.named(projectName(c.e, c.id), c.id)
	case partOnID:
		c.s.lead("on", c.id)
	case partForID:
		c.s.lead("for", c.id)
	case partScopes:
		c.s.paren(c.v.anyScopes())
	case partItems:
		c.s.items(c.v.items())
	case partStorage:
		c.s.parenText(joinNonEmpty(", ", c.v.dProvider.Get("type").String(), scalar(c.v.dGeography)))
	case partIPs:
		c.s.colonList(c.v.allowedIPs)
	case partIPsTo:
		if c.v.allowedIPs.IsArray() {
			c.s.add("to")
			c.s.list(c.v.allowedIPs, " ", "no addresses")
		}
	case partPermissions:
		if c.v.permissions.IsArray() {
			c.s.add("with")
			c.s.list(c.v.permissions, " ", "no permissions")
		}
	case partRole:
		c.s.lead("as", c.v.anyRole())
	case partProvider:
		c.s.lead("for provider", scalar(c.v.identityProviderID))
	case partMapped:
		c.s.lead("for service account", scalar(c.v.serviceAccountID))
		c.s.lead("in project", scalar(c.v.projectID))
	case partPrincipal:
		c.s.principal(&c.v)
		c.s.on(&c.v)
	case partFrom:
		c.s.from(c.e)
	case partReason:
		c.s.reason(&c.v)
	case partRoleChanges:
		c.s.roleChanges(&c.v)
	case partChanges:
		c.s.changes(c.v.changes, c.before)
	case partRateLimits:
		c.s.rateLimits(c.v.changes)
	}
}

// parts writes each of ps in order.
func (c *summaryCtx) parts(ps Parts) {
	for p := Parts(1); p < 1<<numParts; p <<= 1 {
		if ps&p != 0 {
			c.part(p)
		}
	}
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

// lead writes "word value" when there is a value.
func (s *sentence) lead(word, value string) {
	if value != "" {
		s.add(word, value)
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

// changes writes ": field=value, ..." from changes_requested, or "field
// from X to value" for a scalar whose value before is known.
func (s *sentence) changes(obj gjson.Result, before Before) {
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
		if b, ok := beforeOf(before, k.Str, x); ok {
			s.b.WriteString(" from " + clipValue(b) + " to ")
		} else {
			s.b.WriteByte('=')
		}
		s.b.WriteString(clipValue(valueText(x)))
		n++
		return true
	})
}

// beforeOf is the known, non-empty value before of a scalar field.
func beforeOf(before Before, field string, x gjson.Result) (string, bool) {
	if before == nil || x.IsObject() || x.IsArray() {
		return "", false
	}
	b, ok := before(field)
	return b, ok && b != ""
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
