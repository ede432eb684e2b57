package fakeapi

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/auditui/auditui/model"
)

// OrgOptions says which synthetic organisation Org builds.
type OrgOptions struct {
	Events int // how many events; 0 means DefaultOrgEvents
	// Seed picks what happens; the same options give the same bytes.
	Seed int64
	// Now is the end of the 90 days the events fall in (all are before it);
	// zero means 2026-01-01T00:00:00Z so that output stays reproducible.
	Now time.Time
	// Hostile adds records built to break naive code: terminal escape and
	// control sequences, a right-to-left override, a 5,000-character
	// string, a null actor, a missing project, an unknown event type. They
	// sit among the newest 80 events.
	Hostile bool
}

// DefaultOrgEvents is the size of the organisation when OrgOptions.Events is 0.
const DefaultOrgEvents = 3000

// OrgSpan is how far back from Now the events go.
const OrgSpan = 90 * 24 * time.Hour

var orgEpoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// Org builds a deterministic synthetic organisation, newest first: a dozen
// people signing in and out from their usual places and browsers, API keys
// created, rotated and deleted, invites, projects, rate limits, roles, every
// catalogued event type at least once (when Events allows: there are about
// 150), and an incident about a ninth of the way back: a burst of failed
// sign-ins from foreign addresses, one that succeeds, the API key it makes,
// an IP allow-list in response and the key's deletion. Each event is decoded
// with model.DecodeEvent, so Raw is the record's JSON.
func Org(opts OrgOptions) []model.Event {
	n := opts.Events
	if n <= 0 {
		n = DefaultOrgEvents
	}
	now := opts.Now
	if now.IsZero() {
		now = orgEpoch
	}
	g := newGen(opts, n, now.Unix())
	events := make([]model.Event, n)
	// Decoding costs more than generating, so records are decoded in
	// chunks on every core while the generator goes on.
	chunks := make(chan [2]int, 16)
	var wg sync.WaitGroup
	var once sync.Once
	var failure error
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range chunks {
				for i := c[0]; i < c[1]; i++ {
					e, err := model.DecodeEvent(g.raws[i])
					if err != nil {
						once.Do(func() { failure = fmt.Errorf("record %d (%.80s): %w", i, g.raws[i], err) })
						break
					}
					events[i] = e
				}
			}
		})
	}
	g.run(func(lo, hi int) { chunks <- [2]int{lo, hi} })
	close(chunks)
	wg.Wait()
	if failure != nil {
		// The records are this package's own, so this is a bug here, not bad input.
		panic("fakeapi: generated an invalid record: " + failure.Error())
	}
	return events
}

// rng is SplitMix64: tiny, fast and the same on every platform.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n) for 0 < n < 2^31.
func (r *rng) intn(n int) int        { return int(((r.next() >> 32) * uint64(n)) >> 32) }
func (r *rng) float() float64        { return float64(r.next()>>11) / (1 << 53) }
func (r *rng) chance(p float64) bool { return r.float() < p }

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Plan codes for each position (newest first): regular traffic, a catalogued
// type forced for coverage (index+1), the incident, or a hostile record.
const (
	planRegular = 0
	planBurst   = -1
	planHostile = -1000 // planHostile-h is hostile record h
)

// hostilePositions are where the hostile records go, among the newest.
var hostilePositions = []int{1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 66, 78}

type gen struct {
	r       rng
	n       int
	now     int64
	width   float64 // seconds per position
	idMix   uint64
	plan    []int32
	types   []model.EventType
	burstAt int // newest position of the incident; -1 when there is none
	burstN  int

	pos   int   // position being generated (0 is the newest)
	t     int64 // its time
	prevT int64 // the previous (older) event's time

	keys        []liveKey
	invites     []liveInvite
	attackerKey string

	w    jw
	raws [][]byte
}

type liveKey struct {
	id      string
	project int
	owner   int // index into people, or -1 for a service account's key
}

type liveInvite struct{ id, email string }

func newGen(opts OrgOptions, n int, now int64) *gen {
	g := &gen{
		r:       rng{s: splitmix(uint64(opts.Seed) ^ 0xa0761d6478bd642f)},
		n:       n,
		now:     now,
		width:   OrgSpan.Seconds() / float64(n),
		idMix:   splitmix(uint64(opts.Seed) ^ 0x6a09e667f3bcc909),
		plan:    make([]int32, n),
		types:   model.EventTypes(),
		burstAt: -1,
		raws:    make([][]byte, n),
		prevT:   now - int64(OrgSpan.Seconds()) - 1,
	}
	if opts.Hostile {
		for h, p := range hostilePositions {
			if p < n && h < len(hostileRecords) {
				g.plan[p] = int32(planHostile - h)
			}
		}
	}
	if n >= 600 {
		g.burstAt = max(n/9, 100)
		g.burstN = min(max(n/60, 10), 300)
		for p := g.burstAt; p < g.burstAt+g.burstN; p++ {
			g.plan[p] = planBurst
		}
	}
	// Every catalogued type once, in a seeded order spread over the 90 days.
	order := make([]int, len(g.types))
	for i := range order {
		order[i] = i
	}
	for i := len(order) - 1; i > 0; i-- {
		j := g.r.intn(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	for j, k := range order {
		p := int((float64(j) + 0.5) * float64(n) / float64(len(order)))
		for tries := 0; tries < n && g.plan[p] != planRegular; tries++ {
			p = (p + 1) % n
		}
		if g.plan[p] == planRegular {
			g.plan[p] = int32(k + 1)
		}
	}
	return g
}

// slab hands out record buffers carved from large blocks: one allocation
// per few thousand records instead of one each.
const slabSize = 4 << 20

// decodeChunk is how many records go to a decoder at a time.
const decodeChunk = 4096

// run generates every record from the oldest to the newest, calling done
// with each range of positions [lo, hi) as it is completed.
func (g *gen) run(done func(lo, hi int)) {
	slab := make([]byte, 0, slabSize)
	undone := g.n // positions from here on have not been handed to done
	for c := 0; c < g.n; c++ {
		g.pos = g.n - 1 - c
		g.t = g.timeAt(g.pos)
		g.prevT = g.t
		g.w.b = g.w.b[:0]
		switch code := g.plan[g.pos]; {
		case code == planBurst:
			g.incident(g.pos - g.burstAt)
		case code <= planHostile:
			g.hostileRecord(int(planHostile - code))
		case code > 0:
			g.event(g.types[code-1].Name)
		default:
			g.event(g.regularType())
		}
		if len(slab)+len(g.w.b) > cap(slab) {
			slab = make([]byte, 0, max(slabSize, len(g.w.b)))
		}
		at := len(slab)
		slab = append(slab, g.w.b...)
		g.raws[g.pos] = slab[at:len(slab):len(slab)]
		if (c+1)%decodeChunk == 0 || g.pos == 0 {
			done(g.pos, undone)
			undone = g.pos
		}
	}
}

// timeAt spreads positions evenly over the span with jitter; the incident's
// records are seconds apart. Times never decrease from older to newer.
func (g *gen) timeAt(p int) int64 {
	var t int64
	if g.burstAt >= 0 && p >= g.burstAt && p < g.burstAt+g.burstN {
		step := min(int64(g.width*0.9), 17)
		t = g.now - 1 - int64(float64(g.burstAt)*g.width) - int64(p-g.burstAt)*step
	} else {
		t = g.now - 1 - int64((float64(p)+g.r.float())*g.width)
	}
	return max(t, g.prevT)
}

// regularMix is everyday traffic; "*" stands for any catalogued type.
var regularMix = []struct {
	typ    string
	weight int
}{
	{"login.succeeded", 300}, {"logout.succeeded", 110}, {"login.failed", 45}, {"logout.failed", 2},
	{"api_key.created", 40}, {"api_key.updated", 15}, {"api_key.deleted", 30},
	{"project.updated", 12}, {"project.created", 6}, {"user.added", 10}, {"user.updated", 8},
	{"invite.sent", 14}, {"invite.accepted", 10}, {"invite.deleted", 3},
	{"service_account.created", 5}, {"service_account.updated", 2}, {"rate_limit.updated", 12},
	{"role.assignment.created", 8}, {"role.assignment.deleted", 3}, {"group.updated", 4},
	{"organization.updated", 3}, {"checkpoint.permission.created", 3}, {"*", 25},
}

var regularTotal = func() int {
	n := 0
	for _, m := range regularMix {
		n += m.weight
	}
	return n
}()

func (g *gen) regularType() string {
	x := g.r.intn(regularTotal)
	for _, m := range regularMix {
		if x < m.weight {
			if m.typ == "*" {
				return g.types[g.r.intn(len(g.types))].Name
			}
			return m.typ
		}
		x -= m.weight
	}
	return "login.succeeded"
}

// id returns prefix followed by n random base62 characters.
func (g *gen) id(prefix string, n int) string {
	b := make([]byte, len(prefix), len(prefix)+n)
	copy(b, prefix)
	for range n {
		b = append(b, base62[g.r.intn(62)])
	}
	return string(b)
}

// appendRecordID writes a unique id shaped like the API's
// ("audit_log-<random>_<yyyymmdd>"): the random part is a bijection of the
// position, so ids never collide within an organisation.
func (g *gen) appendRecordID(b []byte) []byte {
	b = append(b, "audit_log-"...)
	x := splitmix(g.idMix + uint64(g.n-1-g.pos))
	for range 11 {
		b = append(b, base62[x%62])
		x /= 62
	}
	y, m, d := time.Unix(g.t, 0).UTC().Date()
	b = append(b, '_')
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, byte('0'+m/10), byte('0'+m%10), byte('0'+d/10), byte('0'+d%10))
	return b
}

// Actors.

type actorKind uint8

const (
	actSession actorKind = iota
	actUserKey
	actServiceKey
	actNull
	actAbsent
	actUnknown // a kind newer than the spec, with its own object
)

type actor struct {
	kind    actorKind
	who     int // index into people
	email   string
	userID  string
	loc     location
	agent   agent
	svc     int
	keyID   string
	minimal bool // a session with only user and ip_address, as the schema declares
}

func (g *gen) session(who int) actor {
	p := &people[who]
	a := actor{kind: actSession, who: who, email: p.email, userID: p.id, loc: locations[p.home], agent: agents[p.agent]}
	if g.r.chance(0.1) {
		a.loc = locations[p.away]
	}
	if g.r.chance(0.12) {
		a.agent = agents[firstCLI+g.r.intn(len(agents)-firstCLI)]
	}
	a.minimal = g.r.chance(0.04)
	return a
}

func (g *gen) anyone() int { return g.r.intn(len(people)) }
func (g *gen) owner() int  { return pick(&g.r, owners) }

// admin is who changes settings: an owner's session mostly, else an
// owner's key or a service account's key.
func (g *gen) admin() actor {
	switch x := g.r.float(); {
	case x < 0.72:
		return g.session(g.owner())
	case x < 0.92:
		who := g.owner()
		a := actor{kind: actUserKey, who: who, email: people[who].email, userID: people[who].id, keyID: people[who].keyID}
		if g.r.chance(0.1) {
			a.keyID = "" // like the official example, whose api_key actor has no id
		}
		return a
	default:
		s := g.r.intn(len(serviceAccounts))
		return actor{kind: actServiceKey, svc: s, keyID: serviceAccounts[s].keyID}
	}
}

func (w *jw) actor(g *gen, a actor) {
	switch a.kind {
	case actAbsent:
		return
	case actNull:
		w.key("actor")
		w.null()
		return
	}
	w.key("actor")
	w.open()
	switch a.kind {
	case actUnknown:
		w.field("type", "robot")
		w.key("robot")
		w.open()
		w.field("id", "bot_7Qm2Xc")
		w.field("name", "Warehouse unit 7")
		w.close()
	case actSession:
		w.field("type", "session")
		w.key("session")
		w.open()
		w.user(a.userID, a.email)
		w.field("ip_address", a.loc.ip)
		if !a.minimal {
			w.field("user_agent", a.agent.ua)
			w.field("ja3", a.agent.ja3)
			w.field("ja4", a.agent.ja4)
			w.location(a.loc, g.r.chance(0.5))
		}
		w.close()
	case actUserKey, actServiceKey:
		w.field("type", "api_key")
		w.key("api_key")
		w.open()
		if a.keyID != "" {
			w.field("id", a.keyID)
		}
		if a.kind == actUserKey {
			w.field("type", "user")
			w.user(a.userID, a.email)
		} else {
			w.field("type", "service_account")
			w.key("service_account")
			w.open()
			w.field("id", serviceAccounts[a.svc].id)
			w.close()
		}
		w.close()
	}
	w.close()
}

func (w *jw) user(id, email string) {
	w.key("user")
	w.open()
	w.field("id", id)
	w.field("email", email)
	w.close()
}

// location writes ip_address_details; the API sends asn, latitude and
// longitude as strings (as in the official example) or as numbers.
func (w *jw) location(l location, asStrings bool) {
	w.key("ip_address_details")
	w.open()
	w.field("country", l.country)
	w.field("city", l.city)
	w.field("region", l.region)
	w.field("region_code", l.regionCode)
	if asStrings {
		w.key("asn")
		w.b = append(strconv.AppendInt(append(w.b, '"'), int64(l.asn), 10), '"')
		w.key("latitude")
		w.b = append(strconv.AppendFloat(append(w.b, '"'), l.lat, 'f', 5, 64), '"')
		w.key("longitude")
		w.b = append(strconv.AppendFloat(append(w.b, '"'), l.long, 'f', 5, 64), '"')
	} else {
		w.intField("asn", int64(l.asn))
		w.key("latitude")
		w.float(l.lat)
		w.key("longitude")
		w.float(l.long)
	}
	w.close()
}

// begin writes the record up to its payload's opening brace; the caller
// writes the payload's members and calls end.
func (g *gen) begin(typ string, a actor, proj int) {
	var p *project
	if proj >= 0 {
		p = &projects[proj]
	}
	g.beginWith(typ, a, p)
}

func (g *gen) beginWith(typ string, a actor, proj *project) {
	w := &g.w
	w.b = append(w.b, `{"id":"`...)
	w.b = g.appendRecordID(w.b)
	w.b = append(w.b, '"')
	w.field("type", typ)
	w.intField("effective_at", g.t)
	w.actor(g, a)
	if proj != nil {
		w.key("project")
		w.open()
		w.field("id", proj.id)
		w.field("name", proj.name)
		w.close()
	}
	w.key(typ)
	w.open()
}

func (g *gen) end() { g.w.close(); g.w.close() }

// noProject marks an event not scoped to a project.
const noProject = -1

// projectFor is the project an event is scoped to: actions through API keys
// belong to the default project, as the spec notes.
func projectFor(a actor, scoped int) int {
	if a.kind == actUserKey || a.kind == actServiceKey {
		return 0
	}
	return scoped
}

func (g *gen) someProject() int { return 1 + g.r.intn(len(projects)-1) }

// event writes one record of type typ with a plausible actor and payload.
func (g *gen) event(typ string) {
	w := &g.w
	switch typ {
	case "login.succeeded", "logout.succeeded":
		g.begin(typ, g.session(g.anyone()), noProject)
	case "login.failed", "logout.failed":
		a := g.session(g.anyone())
		errs := loginErrors
		if typ == "logout.failed" {
			errs = logoutErrors
		} else if g.r.chance(0.15) {
			a.loc = pick(&g.r, foreignLocations)
			a.agent = attackerAgent
		}
		g.begin(typ, a, noProject)
		e := pick(&g.r, errs)
		w.field("error_code", e[0])
		w.field("error_message", e[1])
	case "api_key.created":
		g.keyCreated(typ)
	case "api_key.updated", "api_key.deleted":
		if len(g.keys) == 0 {
			// A key made before the 90 days began.
			g.keys = append(g.keys, liveKey{id: g.id("key_", 16), project: g.someProject(), owner: g.anyone()})
		}
		i := g.r.intn(len(g.keys))
		k := g.keys[i]
		a := g.admin()
		if k.owner >= 0 && g.r.chance(0.6) {
			a = g.session(k.owner)
		}
		g.begin(typ, a, projectFor(a, k.project))
		w.field("id", k.id)
		if typ == "api_key.updated" {
			w.key("changes_requested")
			w.open()
			w.strings("scopes", pick(&g.r, scopeSets))
			w.close()
		} else {
			g.keys[i] = g.keys[len(g.keys)-1]
			g.keys = g.keys[:len(g.keys)-1]
		}
	case "invite.sent":
		inv := liveInvite{id: g.id("invite-", 24), email: g.inviteeEmail()}
		g.invites = append(g.invites, inv)
		g.begin(typ, g.admin(), noProject)
		w.field("id", inv.id)
		w.key("data")
		w.open()
		w.field("email", inv.email)
		w.field("role", pick(&g.r, []string{"reader", "member", "member", "owner"}))
		w.close()
	case "invite.accepted", "invite.deleted":
		if len(g.invites) == 0 {
			// An invite sent before the 90 days began.
			g.invites = append(g.invites, liveInvite{id: g.id("invite-", 24), email: g.inviteeEmail()})
		}
		i := g.r.intn(len(g.invites))
		inv := g.invites[i]
		g.invites[i] = g.invites[len(g.invites)-1]
		g.invites = g.invites[:len(g.invites)-1]
		a := g.admin()
		if typ == "invite.accepted" {
			// The invitee accepts in their own new session.
			a = g.session(g.anyone())
			a.userID, a.email = g.id("user-", 24), inv.email
		}
		g.begin(typ, a, noProject)
		w.field("id", inv.id)
	case "project.created":
		a := g.admin()
		g.begin(typ, a, projectFor(a, g.someProject()))
		w.field("id", g.id("proj_", 24))
		w.key("data")
		w.open()
		name := pick(&g.r, projectNames)
		w.field("name", name)
		w.field("title", name)
		w.close()
	case "project.updated":
		a, p := g.admin(), g.someProject()
		g.begin(typ, a, projectFor(a, p))
		w.field("id", projects[p].id)
		w.key("changes_requested")
		w.open()
		w.field("title", projects[p].name+pick(&g.r, []string{"", " (v2)", " – staging", " [archived soon]"}))
		w.close()
	case "project.archived", "project.deleted":
		a := g.admin()
		g.begin(typ, a, projectFor(a, g.someProject()))
		w.field("id", g.id("proj_", 24))
	case "user.added", "user.updated", "user.deleted":
		a, who := g.admin(), g.anyone()
		g.begin(typ, a, projectFor(a, g.someProject()))
		w.field("id", people[who].id)
		g.roleChange(typ, "user.added", "user.updated", []string{"owner", "member"})
	case "service_account.created", "service_account.updated", "service_account.deleted":
		a, s := g.admin(), g.r.intn(len(serviceAccounts))
		g.begin(typ, a, projectFor(a, serviceAccounts[s].project))
		if typ == "service_account.created" {
			w.field("id", g.id("svc_acct_", 16))
		} else {
			w.field("id", serviceAccounts[s].id)
		}
		g.roleChange(typ, "service_account.created", "service_account.updated", []string{"owner", "member"})
	case "rate_limit.updated", "rate_limit.deleted":
		a := g.admin()
		g.begin(typ, a, projectFor(a, g.someProject()))
		w.field("id", "rl-"+pick(&g.r, rateLimitModels))
		if typ == "rate_limit.updated" {
			g.rateLimitChanges()
		}
	case "checkpoint.permission.created", "checkpoint.permission.deleted":
		a, p := g.admin(), g.someProject()
		g.begin(typ, a, projectFor(a, p))
		w.field("id", g.id("cp_", 24))
		if typ == "checkpoint.permission.created" {
			w.key("data")
			w.open()
			w.field("project_id", projects[p].id)
			w.field("fine_tuned_model_checkpoint", "ft:gpt-4o-mini-2024-07-18:acme-robotics::"+g.id("", 8)+":ckpt-step-"+strconv.Itoa(100*(1+g.r.intn(20))))
			w.close()
		}
	case "certificate.created", "certificate.updated", "certificate.deleted":
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("cert_", 24))
		w.field("name", pick(&g.r, certificateNames))
		if typ == "certificate.deleted" {
			w.field("certificate", pemCertificate)
		}
	case "certificates.activated", "certificates.deactivated":
		g.begin(typ, g.admin(), noProject)
		g.namedList("certificates", "cert_", certificateNames)
	case "ip_allowlist.created", "ip_allowlist.updated", "ip_allowlist.deleted":
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("ipal_", 24))
		if typ != "ip_allowlist.updated" {
			w.field("name", pick(&g.r, ipAllowlistNames))
		}
		g.allowedIPs()
	case "ip_allowlist.config.activated", "ip_allowlist.config.deactivated":
		g.begin(typ, g.admin(), noProject)
		g.namedList("configs", "ipal_", ipAllowlistNames)
	case "organization.updated":
		g.begin(typ, g.admin(), noProject)
		w.field("id", orgID)
		g.orgChanges()
	case "group.created", "group.updated", "group.deleted":
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("group_", 24))
		switch typ {
		case "group.created":
			w.key("data")
			w.open()
			w.field("group_name", pick(&g.r, groupNames))
			w.close()
		case "group.updated":
			w.key("changes_requested")
			w.open()
			w.field("group_name", pick(&g.r, groupNames))
			w.close()
		}
	case "role.created":
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("role_", 24))
		w.field("role_name", pick(&g.r, roleNames))
		w.strings("permissions", g.permissionSubset(1+g.r.intn(4)))
		w.field("resource_type", "api.organization")
		w.field("resource_id", orgID)
	case "role.updated":
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("role_", 24))
		w.key("changes_requested")
		w.open()
		w.field("role_name", pick(&g.r, roleNames))
		w.field("resource_type", "api.organization")
		w.field("resource_id", orgID)
		w.strings("permissions_added", g.permissionSubset(1+g.r.intn(3)))
		w.strings("permissions_removed", g.permissionSubset(g.r.intn(2)))
		w.field("description", "Adjusted after the quarterly access review")
		w.close()
	case "role.deleted":
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("role_", 24))
	case "role.assignment.created", "role.assignment.deleted":
		a, p := g.admin(), g.someProject()
		g.begin(typ, a, noProject)
		w.field("id", g.id("ra_", 24))
		if g.r.chance(0.2) {
			w.field("principal_id", g.id("group_", 24))
			w.field("principal_type", "group")
		} else {
			w.field("principal_id", people[g.anyone()].id)
			w.field("principal_type", "user")
		}
		w.field("resource_id", projects[p].id)
		w.field("resource_type", "api.project")
	case "role.bound_to_resource", "role.unbound_from_resource":
		g.begin(typ, g.admin(), noProject)
		ws, conn := "ws_"+g.id("", 20), "conn_"+g.id("", 20)
		w.field("id", ws+"__"+conn)
		w.field("role_id", g.id("role_", 24))
		w.field("resource_id", ws+"__"+conn)
		w.field("resource_type", "chatgpt.workspace.connector")
		w.strings("permissions", []string{"connector.use", "connector.read"})
		w.field("workspace_id", ws)
		w.field("connector_id", conn)
		w.field("connector_name", pick(&g.r, connectorNames))
		w.key("enabled")
		w.bool(typ == "role.bound_to_resource")
		w.field("source", pick(&g.r, []string{"role_toggle", "role_connector_update", "role_delete", "workspace_permissions", "connector_publish"}))
	case "scim.enabled", "scim.disabled":
		g.begin(typ, g.session(g.owner()), noProject)
		w.field("id", orgID)
	case "external_key.registered", "external_key.removed":
		g.begin(typ, g.session(g.owner()), noProject)
		w.field("id", g.id("ekm_", 24))
		if typ == "external_key.registered" {
			w.key("data")
			w.open()
			w.field("provider", "aws_kms")
			w.field("key_arn", "arn:aws:kms:us-west-2:123456789012:key/"+g.id("", 8))
			w.close()
		}
	case "external_storage.registered", "external_storage.removed":
		g.begin(typ, g.session(g.owner()), noProject)
		w.field("id", g.id("exst_", 24))
		if typ == "external_storage.registered" {
			w.key("data")
			w.open()
			w.field("geography", "us")
			w.key("provider")
			w.open()
			w.field("type", "aws")
			w.field("account_id", "123456789012")
			w.field("bucket", "acme-robotics-openai-data")
			w.field("region", "us-west-2")
			w.field("role_arn", "arn:aws:iam::123456789012:role/openai-external-storage")
			w.field("external_id", g.id("", 16))
			w.close()
			w.close()
		}
	case "workload_identity_provider.created", "workload_identity_provider.updated", "workload_identity_provider.deleted":
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("wip_", 24))
		switch typ {
		case "workload_identity_provider.created":
			w.key("data")
			w.open()
			w.field("name", "GitHub Actions")
			w.field("issuer", "https://token.actions.githubusercontent.com")
			w.field("audience", "https://github.com/acme-robotics")
			w.close()
		case "workload_identity_provider.updated":
			w.key("changes_requested")
			w.open()
			w.field("audience", "openai-prod")
			w.close()
		default:
			w.field("name", "GitHub Actions")
		}
	case "workload_identity_provider_mapping.created", "workload_identity_provider_mapping.updated", "workload_identity_provider_mapping.deleted":
		s := serviceAccounts[g.r.intn(len(serviceAccounts))]
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.id("wipm_", 24))
		w.field("identity_provider_id", g.id("wip_", 24))
		switch typ {
		case "workload_identity_provider_mapping.created":
			w.key("data")
			w.open()
			w.field("subject", "repo:acme-robotics/fleet:ref:refs/heads/main")
			w.field("project_id", projects[s.project].id)
			w.field("service_account_id", s.id)
			w.close()
		case "workload_identity_provider_mapping.updated":
			w.key("changes_requested")
			w.open()
			w.field("subject", "repo:acme-robotics/fleet:environment:production")
			w.close()
		default:
			w.field("project_id", projects[s.project].id)
			w.field("service_account_id", s.id)
		}
	default:
		// Types without a payload schema (tenant.*, tunnel.*, resource.deleted):
		// the id of what was acted on, which the resource filter reads.
		g.begin(typ, g.admin(), noProject)
		w.field("id", g.genericID(typ))
	}
	g.end()
}

func (g *gen) keyCreated(typ string) {
	w := &g.w
	k := liveKey{id: g.id("key_", 16), project: g.someProject(), owner: -1}
	a := g.admin()
	if g.r.chance(0.7) {
		k.owner = g.anyone()
		a = g.session(k.owner)
	}
	if g.r.chance(0.2) {
		k.project = 0
	}
	g.keys = append(g.keys, k)
	g.begin(typ, a, projectFor(a, k.project))
	w.field("id", k.id)
	w.key("data")
	w.open()
	w.strings("scopes", pick(&g.r, scopeSets))
	w.close()
}

// roleChange writes data.role for the created type, changes_requested.role
// for the updated type, and nothing for the rest.
func (g *gen) roleChange(typ, created, updated string, roles []string) {
	w := &g.w
	switch typ {
	case created:
		w.key("data")
	case updated:
		w.key("changes_requested")
	default:
		return
	}
	w.open()
	w.field("role", pick(&g.r, roles))
	w.close()
}

var rateLimitFields = []struct {
	name     string
	min, max int64
}{
	{"max_requests_per_1_minute", 500, 30000},
	{"max_tokens_per_1_minute", 30000, 30000000},
	{"max_images_per_1_minute", 5, 500},
	{"max_audio_megabytes_per_1_minute", 10, 1000},
	{"max_requests_per_1_day", 10000, 10000000},
	{"batch_1_day_max_input_tokens", 90000, 5000000000},
}

func (g *gen) rateLimitChanges() {
	w := &g.w
	w.key("changes_requested")
	w.open()
	first := g.r.intn(len(rateLimitFields))
	for i := range 1 + g.r.intn(3) {
		f := rateLimitFields[(first+i)%len(rateLimitFields)]
		// Round to two significant-looking figures, as people set limits.
		v := f.min + int64(g.r.float()*float64(f.max-f.min))
		if v > 1000 {
			v -= v % 1000
		}
		w.intField(f.name, v)
	}
	w.close()
}

var orgSettings = []struct{ name, value string }{
	{"title", "Acme Robotics"},
	{"description", "Robotics research and customer-facing assistants"},
	{"name", "acme-robotics"},
	{"threads_ui_visibility", "OWNERS"},
	{"usage_dashboard_visibility", "ANY_MEMBER"},
	{"api_call_logging", "enabled_per_project"},
	{"api_call_logging_project_ids", projects[1].id + "," + projects[2].id},
}

func (g *gen) orgChanges() {
	w := &g.w
	w.key("changes_requested")
	w.open()
	first := g.r.intn(len(orgSettings))
	for i := range 1 + g.r.intn(2) {
		s := orgSettings[(first+i)%len(orgSettings)]
		w.field(s.name, s.value)
	}
	w.close()
}

func (g *gen) namedList(key, prefix string, names []string) {
	w := &g.w
	w.key(key)
	w.openArray()
	for range 1 + g.r.intn(2) {
		w.open()
		w.field("id", g.id(prefix, 24))
		w.field("name", pick(&g.r, names))
		w.close()
	}
	w.closeArray()
}

func (g *gen) allowedIPs() {
	w := &g.w
	w.key("allowed_ips")
	w.openArray()
	w.str("203.0.113.0/24")
	w.str("198.51.100.16/28")
	if g.r.chance(0.5) {
		w.str("2001:db8:4f1a::/48")
	}
	w.closeArray()
}

func (g *gen) permissionSubset(n int) []string {
	out := make([]string, 0, n)
	first := g.r.intn(len(permissions))
	for i := range n {
		out = append(out, permissions[(first+i)%len(permissions)])
	}
	return out
}

var inviteeFirst = []string{"ana", "ben", "chloe", "dev", "elif", "femi", "greta", "hiro", "ines", "jonas", "kwame", "lena"}

func (g *gen) inviteeEmail() string {
	return pick(&g.r, inviteeFirst) + "." + strings.ToLower(g.id("", 4)) + "@acme-robotics.example"
}

// genericID makes an id for a type without a payload schema from its noun:
// "tenant.user.added" acts on a user, "tunnel.created" on a tunnel.
func (g *gen) genericID(typ string) string {
	parts := strings.Split(strings.TrimPrefix(typ, "tenant."), ".")
	switch parts[0] {
	case "user", "membership":
		return people[g.anyone()].id
	case "metadata", "migration", "domains", "sso", "billing", "product_access_policy", "third_party_app_policy":
		return "tenant_" + orgID[4:]
	}
	return g.id(parts[0]+"_", 20)
}
