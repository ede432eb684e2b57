package fakeapi

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	r     rng
	n     int
	now   int64
	width float64 // seconds per position
	idMix uint64
	plan  []int32
	types []model.EventType
	// weightTotal is the sum of the catalogue's Demo weights.
	weightTotal int
	templates   map[string][]segment // each type's parsed Demo payload
	rec         record               // what the record being written has chosen
	filled      []string             // scratch: its payload's values
	scratch     jw                   // scratch: a value that is JSON text
	burstAt     int                  // newest position of the incident; -1 when there is none
	burstN      int

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
		r:         rng{s: splitmix(uint64(opts.Seed) ^ 0xa0761d6478bd642f)},
		n:         n,
		now:       now,
		width:     OrgSpan.Seconds() / float64(n),
		idMix:     splitmix(uint64(opts.Seed) ^ 0x6a09e667f3bcc909),
		plan:      make([]int32, n),
		types:     model.EventTypes(),
		burstAt:   -1,
		raws:      make([][]byte, n),
		prevT:     now - int64(OrgSpan.Seconds()) - 1,
		templates: map[string][]segment{},
	}
	for _, t := range g.types {
		g.weightTotal += t.Demo.Weight
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

// anyTypeWeight is the share of everyday traffic, beside the catalogue's
// Demo weights, that goes to any catalogued type at random.
const anyTypeWeight = 25

// regularType picks a type for everyday traffic by the catalogue's weights.
func (g *gen) regularType() string {
	x := g.r.intn(g.weightTotal + anyTypeWeight)
	for _, t := range g.types {
		if x < t.Demo.Weight {
			return t.Name
		}
		x -= t.Demo.Weight
	}
	return g.types[g.r.intn(len(g.types))].Name
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

// rateLimitChanges writes a changes_requested object of one to three limits.
func (g *gen) rateLimitChanges(w *jw) {
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

// orgChanges writes a changes_requested object of one or two settings.
func (g *gen) orgChanges(w *jw) {
	w.open()
	first := g.r.intn(len(orgSettings))
	for i := range 1 + g.r.intn(2) {
		s := orgSettings[(first+i)%len(orgSettings)]
		w.field(s.name, s.value)
	}
	w.close()
}

// namedList writes an array of one or two {id, name} objects.
func (g *gen) namedList(w *jw, prefix string, names []string) {
	w.openArray()
	for range 1 + g.r.intn(2) {
		w.open()
		w.field("id", g.id(prefix, 24))
		w.field("name", pick(&g.r, names))
		w.close()
	}
	w.closeArray()
}

func (g *gen) allowedIPs(w *jw) {
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
// a tenant user event acts on a user, a tunnel event on a tunnel.
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

// WriteJSONL writes events as a saved file holds them: each record as
// sent, one a line, in the order given.
func WriteJSONL(w io.Writer, events []model.Event) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := range events {
		bw.Write(events[i].Raw)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// SaveJSONL writes events as WriteJSONL does to the file org.jsonl in dir,
// private to its owner, and returns the file's path and bytes.
func SaveJSONL(dir string, events []model.Event) (string, []byte, error) {
	var b bytes.Buffer
	if err := WriteJSONL(&b, events); err != nil {
		return "", nil, err
	}
	path := filepath.Join(dir, "org.jsonl")
	return path, b.Bytes(), os.WriteFile(path, b.Bytes(), 0o600)
}

// OpenJSONL saves events as SaveJSONL does and reads them back from the
// file, whose records stay in it: the file's bytes, the open file (the
// caller closes it) and the events read.
func OpenJSONL(dir string, events []model.Event) ([]byte, *os.File, []model.Event, error) {
	path, data, err := SaveJSONL(dir, events)
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	read, _, err := model.ReadFileEvents(context.Background(), f, filepath.Base(path))
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	return data, f, read, nil
}
