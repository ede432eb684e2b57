package fakeapi

import (
	"strconv"
	"strings"

	"github.com/auditui/auditui/model"
)

// A type's Demo payload (model.Demo) is JSON with $values in it. A segment
// is a run of that text, or a value to fill in: inside a JSON string a
// value is escaped as string content, elsewhere it is JSON text.
type segment struct {
	text     string
	value    string   // the value's name, "" for text
	args     []string // what follows it in parentheses
	key      string   // value and args: one value per key per record
	inString bool
}

// record is what the record being written has chosen so far; the values
// of its payload may change the actor and name the project.
type record struct {
	typ     string
	actor   actor
	project int // the project the payload names; -1 until one is chosen
	svc     int // the service account it names; -1 until one is chosen
	invite  liveInvite
	values  map[string]string // a value named twice in a payload is one value
}

// event writes one record of type typ, as its catalogue row's Demo says.
func (g *gen) event(typ string) {
	t, _ := model.LookupType(typ)
	g.rec = record{typ: typ, actor: g.demoActor(t.Demo.Actor), project: -1, svc: -1, values: g.rec.values}
	clear(g.rec.values)
	segs := g.template(t)
	// Values are chosen before the record is begun: they may pick its actor.
	filled := g.filled[:0]
	for i, sg := range segs {
		filled = append(filled, "")
		if sg.value != "" {
			filled[i] = g.valueOnce(sg)
		}
	}
	proj := noProject
	if t.Demo.Scoped {
		proj = projectFor(g.rec.actor, g.recordProject())
	}
	g.begin(typ, g.rec.actor, proj)
	for i, sg := range segs {
		switch {
		case sg.value == "":
			g.w.b = append(g.w.b, sg.text...)
		case sg.inString:
			q := appendJSONString(nil, filled[i])
			g.w.b = append(g.w.b, q[1:len(q)-1]...)
		default:
			g.w.b = append(g.w.b, filled[i]...)
		}
	}
	g.end()
	g.filled = filled
}

func (g *gen) demoActor(who string) actor {
	switch who {
	case "":
		return g.admin()
	case "owner":
		return g.session(g.owner())
	case "anyone":
		return g.session(g.anyone())
	case "anyone-or-attacker":
		a := g.session(g.anyone())
		if g.r.chance(0.15) {
			a.loc = pick(&g.r, foreignLocations)
			a.agent = attackerAgent
		}
		return a
	}
	panic("fakeapi: unknown Demo.Actor " + strconv.Quote(who))
}

// template parses t's Demo payload once, without its outer braces, which
// begin and end write.
func (g *gen) template(t model.EventType) []segment {
	if segs, ok := g.templates[t.Name]; ok {
		return segs
	}
	src := t.Demo.Payload
	if src == "" {
		src = `{"id":"$generic"}`
	}
	src = strings.TrimSuffix(strings.TrimPrefix(src, "{"), "}")
	var segs []segment
	inString, start := false, 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\\' && inString:
			i++
		case c == '"':
			inString = !inString
		case c == '$':
			segs = append(segs, segment{text: src[start:i]})
			j := i + 1
			for j < len(src) && (isNameByte(src[j])) {
				j++
			}
			sg := segment{value: src[i+1 : j], inString: inString}
			if j < len(src) && src[j] == '(' {
				end := j + strings.IndexByte(src[j:], ')')
				sg.args = strings.Split(src[j+1:end], ",")
				j = end + 1
			}
			sg.key = src[i+1 : j]
			segs = append(segs, sg)
			i, start = j-1, j
		}
	}
	segs = append(segs, segment{text: src[start:]})
	g.templates[t.Name] = segs
	return segs
}

func isNameByte(c byte) bool {
	return c == '.' || c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// valueOnce fills sg, giving the same text each time the record names it.
func (g *gen) valueOnce(sg segment) string {
	k := sg.key
	if k == "" {
		k = sg.value
	}
	if v, ok := g.rec.values[k]; ok {
		return v
	}
	if g.rec.values == nil {
		g.rec.values = map[string]string{}
	}
	v := g.value(sg.value, sg.args)
	g.rec.values[k] = v
	return v
}

// recordProject is the project the record names, choosing one if need be.
func (g *gen) recordProject() int {
	if g.rec.project < 0 {
		g.rec.project = g.someProject()
	}
	return g.rec.project
}

// recordSvc is the service account the record names, choosing one if need be.
func (g *gen) recordSvc() serviceAccount {
	if g.rec.svc < 0 {
		g.rec.svc = g.r.intn(len(serviceAccounts))
		g.rec.project = serviceAccounts[g.rec.svc].project
	}
	return serviceAccounts[g.rec.svc]
}

// value makes the text of one $value; see model.Demo.
func (g *gen) value(name string, args []string) string {
	switch name {
	case "id":
		n, _ := strconv.Atoi(args[1])
		return g.id(args[0], n)
	case "pick":
		return pick(&g.r, args)
	case "generic":
		return g.genericID(g.rec.typ)
	case "org":
		return orgID
	case "pem":
		return pemCertificate
	case "person.id":
		return people[g.anyone()].id
	case "project.id":
		return projects[g.recordProject()].id
	case "project.retitled":
		return projects[g.recordProject()].name + pick(&g.r, []string{"", " (v2)", " – staging", " [archived soon]"})
	case "svc.new":
		g.recordSvc()
		return g.id("svc_acct_", 16)
	case "svc.id":
		return g.recordSvc().id
	case "svc.project":
		return projects[g.recordSvc().project].id
	case "key.new":
		return g.newKey()
	case "key.live", "key.drop":
		return g.liveKey(name == "key.drop")
	case "invite.new":
		g.rec.invite = liveInvite{id: g.id("invite-", 24), email: g.inviteeEmail()}
		g.invites = append(g.invites, g.rec.invite)
		return g.rec.invite.id
	case "invite.email":
		return g.rec.invite.email
	case "invite.accept", "invite.drop":
		return g.takeInvite(name == "invite.accept")
	case "connector.workspace":
		return "ws_" + g.id("", 20)
	case "connector.id":
		return "conn_" + g.id("", 20)
	case "connector.resource":
		return g.valueOnce(segment{value: "connector.workspace"}) + "__" + g.valueOnce(segment{value: "connector.id"})
	case "connector.source":
		return pick(&g.r, []string{"role_toggle", "role_connector_update", "role_delete", "workspace_permissions", "connector_publish"})
	}
	if names, ok := namePools[name]; ok {
		return pick(&g.r, names)
	}
	return g.jsonValue(name, args)
}

// namePools are the $values that pick one of the organisation's names.
var namePools = map[string][]string{
	"projectName":     projectNames,
	"groupName":       groupNames,
	"roleName":        roleNames,
	"certificateName": certificateNames,
	"ipAllowlistName": ipAllowlistNames,
	"connectorName":   connectorNames,
	"rateLimitModel":  rateLimitModels,
}

// jsonValue makes the $values that are JSON text rather than a string.
func (g *gen) jsonValue(name string, args []string) string {
	w := &g.scratch
	w.b = w.b[:0]
	switch name {
	case "loginError", "logoutError":
		errs := loginErrors
		if name == "logoutError" {
			errs = logoutErrors
		}
		e := pick(&g.r, errs)
		w.field("error_code", e[0])
		w.field("error_message", e[1])
	case "scopes":
		w.openArray()
		for _, s := range pick(&g.r, scopeSets) {
			w.str(s)
		}
		w.closeArray()
	case "permissions":
		lo, _ := strconv.Atoi(args[0])
		hi, _ := strconv.Atoi(args[1])
		w.openArray()
		for _, p := range g.permissionSubset(lo + g.r.intn(hi-lo+1)) {
			w.str(p)
		}
		w.closeArray()
	case "principal":
		if g.r.chance(0.2) {
			w.field("principal_id", g.id("group_", 24))
			w.field("principal_type", "group")
		} else {
			w.field("principal_id", people[g.anyone()].id)
			w.field("principal_type", "user")
		}
	case "rateLimits":
		g.rateLimitChanges(w)
	case "orgChanges":
		g.orgChanges(w)
	case "certificates":
		g.namedList(w, "cert_", certificateNames)
	case "ipAllowlists":
		g.namedList(w, "ipal_", ipAllowlistNames)
	case "allowedIPs":
		g.allowedIPs(w)
	default:
		panic("fakeapi: unknown Demo payload value $" + name)
	}
	return string(w.b)
}

// newKey makes an API key: mostly a person's, made in their own session,
// sometimes in the default project, else a service account's.
func (g *gen) newKey() string {
	k := liveKey{id: g.id("key_", 16), project: g.someProject(), owner: -1}
	if g.r.chance(0.7) {
		k.owner = g.anyone()
		g.rec.actor = g.session(k.owner)
	}
	if g.r.chance(0.2) {
		k.project = 0
	}
	g.keys = append(g.keys, k)
	g.rec.project = k.project
	return k.id
}

// liveKey picks a key made earlier, often changed by its owner; drop
// deletes it.
func (g *gen) liveKey(drop bool) string {
	if len(g.keys) == 0 {
		// A key made before the 90 days began.
		g.keys = append(g.keys, liveKey{id: g.id("key_", 16), project: g.someProject(), owner: g.anyone()})
	}
	i := g.r.intn(len(g.keys))
	k := g.keys[i]
	if k.owner >= 0 && g.r.chance(0.6) {
		g.rec.actor = g.session(k.owner)
	}
	g.rec.project = k.project
	if drop {
		g.keys[i] = g.keys[len(g.keys)-1]
		g.keys = g.keys[:len(g.keys)-1]
	}
	return k.id
}

// takeInvite closes an invite sent earlier; accepted, the invitee acts in
// their own new session.
func (g *gen) takeInvite(accepted bool) string {
	if len(g.invites) == 0 {
		// An invite sent before the 90 days began.
		g.invites = append(g.invites, liveInvite{id: g.id("invite-", 24), email: g.inviteeEmail()})
	}
	i := g.r.intn(len(g.invites))
	inv := g.invites[i]
	g.invites[i] = g.invites[len(g.invites)-1]
	g.invites = g.invites[:len(g.invites)-1]
	if accepted {
		g.rec.actor = g.session(g.anyone())
		g.rec.actor.userID, g.rec.actor.email = g.id("user-", 24), inv.email
	}
	return inv.id
}
