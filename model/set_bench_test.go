package model

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/paginator"
	tea "charm.land/bubbletea/v2"
)

// synthOrg is a deterministic synthetic organisation: people, service
// accounts, keys, projects and the IPs they come from, in the proportions a
// mid-sized company has, so that values repeat as they do in real logs.
type synthOrg struct {
	rng      *rand.Rand
	users    []synthUser
	services []string // service account ids
	keys     []synthKey
	projects []Project
	agents   []string
	places   []string // ip_address_details objects
}

type synthUser struct {
	id, email string
	ips       []string
}

type synthKey struct {
	id      string
	owner   int // index into users, or -1 for a service account
	service string
}

// synthType is an event type, how often it occurs and the resource pool
// its payload id comes from ("" for no payload id, "new" for a fresh one).
type synthType struct {
	name   string
	weight int
	pool   string
}

var synthTypes = []synthType{
	{"login.succeeded", 300, ""}, {"login.failed", 45, ""}, {"logout.succeeded", 120, ""}, {"logout.failed", 3, ""},
	{"api_key.created", 40, "key"}, {"api_key.updated", 25, "key"}, {"api_key.deleted", 15, "key"},
	{"project.created", 4, "project"}, {"project.updated", 10, "project"}, {"project.archived", 2, "project"},
	{"invite.sent", 30, "new:invite-"}, {"invite.accepted", 20, "new:invite-"}, {"invite.deleted", 4, "new:invite-"},
	{"user.added", 20, "user"}, {"user.updated", 25, "user"}, {"user.deleted", 5, "user"},
	{"service_account.created", 8, "service"}, {"service_account.updated", 6, "service"}, {"service_account.deleted", 2, "service"},
	{"rate_limit.updated", 20, "new:rl-"}, {"rate_limit.deleted", 2, "new:rl-"},
	{"role.created", 4, "new:role_"}, {"role.updated", 6, "new:role_"}, {"role.assignment.created", 15, "new:ra_"}, {"role.assignment.deleted", 6, "new:ra_"},
	{"ip_allowlist.created", 2, "new:ipal_"}, {"ip_allowlist.updated", 4, "new:ipal_"}, {"ip_allowlist.config.activated", 1, "new:ipal_"},
	{"certificate.created", 1, "new:cert_"}, {"certificates.activated", 1, "new:cert_"},
	{"organization.updated", 2, "org"}, {"group.created", 2, "new:group_"}, {"group.updated", 3, "new:group_"},
	{"checkpoint.permission.created", 2, "new:cp_"}, {"scim.enabled", 1, "org"},
	{"tenant.user.added", 3, "user"}, {"tenant.policy.updated", 1, "new:pol_"},
	{"workload_identity_provider.created", 1, "new:wip_"}, {"brand_new.type_from_the_future", 1, "new:x_"},
}

var synthFirst = []string{"maria", "james", "aiko", "olu", "chen", "fatima", "lucas", "sofia", "ivan", "priya", "noah", "emma", "mateo", "zara", "omar", "lena", "kofi", "hana", "diego", "ines"}
var synthLast = []string{"garcia", "smith", "tanaka", "adeyemi", "wang", "khan", "silva", "rossi", "petrov", "sharma", "jones", "muller", "lopez", "ali", "hassan", "novak", "mensah", "kim", "fernandez", "dubois"}
var synthDomains = []string{"acme.com", "acme.com", "acme.com", "acme.co.uk", "contractors.example.org"}
var synthProjectNames = []string{"Support bot", "Search staging", "Search production", "Ads ranking", "Internal tools", "Voice agent", "Docs QA", "Fraud review", "Data labelling", "Sandbox"}

const synthAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func (o *synthOrg) token(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = synthAlphabet[o.rng.IntN(len(synthAlphabet))]
	}
	return string(b)
}

func newSynthOrg(seed uint64) *synthOrg {
	o := &synthOrg{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for i := range 800 {
		u := synthUser{
			id:    "user-" + o.token(24),
			email: fmt.Sprintf("%s.%s%d@%s", synthFirst[i%len(synthFirst)], synthLast[(i/len(synthFirst))%len(synthLast)], i/400, synthDomains[o.rng.IntN(len(synthDomains))]),
		}
		if i%7 == 0 {
			u.email = strings.ToUpper(u.email[:1]) + u.email[1:] // people type their emails in odd cases
		}
		for range 1 + o.rng.IntN(5) {
			if o.rng.IntN(10) == 0 {
				u.ips = append(u.ips, fmt.Sprintf("2001:db8:%x::%x", o.rng.IntN(4096), o.rng.IntN(65536)))
			} else {
				u.ips = append(u.ips, fmt.Sprintf("%d.%d.%d.%d", 10+o.rng.IntN(200), o.rng.IntN(256), o.rng.IntN(256), 1+o.rng.IntN(254)))
			}
		}
		o.users = append(o.users, u)
	}
	for range 60 {
		o.services = append(o.services, "svc_acct_"+o.token(24))
	}
	for range 3000 {
		k := synthKey{id: "key_" + o.token(16), owner: o.rng.IntN(len(o.users))}
		if o.rng.IntN(4) == 0 {
			k.owner, k.service = -1, o.services[o.rng.IntN(len(o.services))]
		}
		o.keys = append(o.keys, k)
	}
	for i := range 50 {
		o.projects = append(o.projects, Project{ID: "proj_" + o.token(24), Name: fmt.Sprintf("%s %d", synthProjectNames[i%len(synthProjectNames)], i/len(synthProjectNames))})
	}
	o.agents = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
		"openai-cli/1.40.0 python/3.12",
	}
	o.places = []string{
		`{"country":"US","city":"San Francisco","region":"California","region_code":"CA","asn":"13335","latitude":"37.77490","longitude":"-122.41940"}`,
		`{"country":"GB","city":"London","region":"England","region_code":"ENG","asn":"2856","latitude":"51.50740","longitude":"-0.12780"}`,
		`{"country":"DE","city":"Berlin","region":"Berlin","region_code":"BE","asn":3320,"latitude":52.52,"longitude":13.405}`,
		`{"country":"JP","city":"Tokyo","region":"Tokyo","region_code":"13","asn":"2516","latitude":"35.68950","longitude":"139.69170"}`,
	}
	return o
}

// synthEvents returns n decoded events, newest first, deterministic for a seed.
func synthEvents(n int, seed uint64) []Event {
	o := newSynthOrg(seed)
	total := 0
	for _, t := range synthTypes {
		total += t.weight
	}
	events := make([]Event, 0, n)
	var b []byte
	now := int64(1795000000)
	for i := range n {
		pick := o.rng.IntN(total)
		var st synthType
		for _, t := range synthTypes {
			if pick < t.weight {
				st = t
				break
			}
			pick -= t.weight
		}
		b = b[:0]
		b = append(b, `{"id":"audit_log-`...)
		b = strconv.AppendUint(b, uint64(i)*0x9e3779b97f4a7c15>>8, 36)
		b = append(b, `","type":"`...)
		b = append(b, st.name...)
		b = append(b, `","effective_at":`...)
		b = strconv.AppendInt(b, now-int64(i)*3-int64(o.rng.IntN(3)), 10)
		b = append(b, `,"actor":`...)
		if strings.HasPrefix(st.name, "log") || o.rng.IntN(10) < 7 {
			u := o.users[o.rng.IntN(len(o.users))]
			b = fmt.Appendf(b, `{"type":"session","session":{"user":{"id":%q,"email":%q},"ip_address":%q,"user_agent":%q,"ja3":"a497151ce4338a12c4418c44d375173e","ja4":"q13d0313h3_55b375c5d22e_c7319ce65786","ip_address_details":%s}}`,
				u.id, u.email, u.ips[o.rng.IntN(len(u.ips))], o.agents[o.rng.IntN(len(o.agents))], o.places[o.rng.IntN(len(o.places))])
		} else {
			k := o.keys[o.rng.IntN(len(o.keys))]
			if k.owner >= 0 {
				u := o.users[k.owner]
				b = fmt.Appendf(b, `{"type":"api_key","api_key":{"id":%q,"type":"user","user":{"id":%q,"email":%q}}}`, k.id, u.id, u.email)
			} else {
				b = fmt.Appendf(b, `{"type":"api_key","api_key":{"id":%q,"type":"service_account","service_account":{"id":%q}}}`, k.id, k.service)
			}
		}
		if !strings.HasPrefix(st.name, "log") && o.rng.IntN(10) < 6 {
			p := o.projects[o.rng.IntN(len(o.projects))]
			b = fmt.Appendf(b, `,"project":{"id":%q,"name":%q}`, p.ID, p.Name)
		}
		b = fmt.Appendf(b, `,%q:`, st.name)
		switch {
		case st.name == "login.failed" || st.name == "logout.failed":
			b = append(b, `{"error_code":"invalid_credentials","error_message":"The password is incorrect."}`...)
		case st.pool == "":
			b = append(b, `{}`...)
		default:
			b = fmt.Appendf(b, `{"id":%q,"data":{"scopes":["api.model.read"]}}`, o.resource(st.pool))
		}
		b = append(b, '}')
		e, err := DecodeEvent(append([]byte(nil), b...))
		if err != nil {
			panic(fmt.Sprintf("synthetic event %d does not decode: %v\n%s", i, err, b))
		}
		events = append(events, e)
	}
	return events
}

func (o *synthOrg) resource(pool string) string {
	switch pool {
	case "key":
		return o.keys[o.rng.IntN(len(o.keys))].id
	case "project":
		return o.projects[o.rng.IntN(len(o.projects))].ID
	case "user":
		return o.users[o.rng.IntN(len(o.users))].id
	case "service":
		return o.services[o.rng.IntN(len(o.services))]
	case "org":
		return "org-acme"
	}
	return strings.TrimPrefix(pool, "new:") + o.token(12)
}

// appendPages appends events to s a page of 100 at a time, as the browser does.
func appendPages(s *Set, events []Event) {
	for len(events) > 0 {
		n := min(len(events), DefaultPageSize)
		s.Append(events[:n])
		events = events[n:]
	}
}

const benchEvents = 1_000_000

var bench struct {
	once sync.Once
	set  *Set
	// Heap measured while building, per event.
	totalPerEvent, setPerEvent float64
	rawPerEvent                float64
}

// benchSet is the shared million-event set, built once per test binary.
func benchSet(b *testing.B) *Set {
	b.Helper()
	bench.once.Do(func() {
		var m0, m1, m2, m3 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		events := synthEvents(benchEvents, 1)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		s := &Set{}
		appendPages(s, events)
		runtime.GC()
		runtime.ReadMemStats(&m2)
		raw := 0
		for i := range events {
			raw += len(events[i].Raw)
		}
		events = nil
		runtime.GC()
		runtime.ReadMemStats(&m3)
		bench.set = s
		bench.totalPerEvent = float64(m3.HeapAlloc-m0.HeapAlloc) / benchEvents
		bench.setPerEvent = float64(m2.HeapAlloc-m1.HeapAlloc) / benchEvents
		bench.rawPerEvent = float64(raw) / benchEvents
	})
	if bench.set.Len() != benchEvents {
		b.Fatalf("bench set has %d events, want %d", bench.set.Len(), benchEvents)
	}
	return bench.set
}

// BenchmarkSetMemory reports heap per loaded event: everything (raw JSON,
// decoded fields, Set), what the Set adds on top of the caller's events
// (its Event copy and the index), and the index alone.
func BenchmarkSetMemory(b *testing.B) {
	benchSet(b)
	for range b.N {
	}
	b.ReportMetric(bench.totalPerEvent, "total-B/event")
	b.ReportMetric(bench.rawPerEvent, "raw-json-B/event")
	b.ReportMetric(bench.setPerEvent, "set-B/event")
	b.ReportMetric(bench.setPerEvent-float64(unsafe.Sizeof(Event{})), "index-B/event")
}

// reportCPU adds the CPU time per operation since start (in ms, all
// threads): on a shared machine wall time also counts waiting for a core.
func reportCPU(b *testing.B, start int64) {
	if start != 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N)/1e6, "cpu-ms/op")
	}
}

// typing returns each prefix of word, as typed one character at a time.
func typing(word string) []string {
	var out []string
	for i := 1; i <= len(word); i++ {
		out = append(out, word[:i])
	}
	return out
}

// benchKeystrokes measures each keystroke of word: Refine from the result
// of the text before it, as the browser does; the first one starts from
// the unfiltered list.
func benchKeystrokes(b *testing.B, s *Set, word string) {
	ctx := context.Background()
	var prev Result
	for _, text := range typing(word) {
		m := CompileMatcher(text)
		from := prev
		var got Result
		b.Run(strings.ReplaceAll(text, "*", "STAR"), func(b *testing.B) {
			b.ReportAllocs()
			cpu := processCPU()
			for range b.N {
				var err error
				if got, err = s.Refine(ctx, m, from); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(len(got.Indices)), "matches")
		})
		prev = got
	}
}

// BenchmarkKeystrokeType types an event type, one character at a time.
func BenchmarkKeystrokeType(b *testing.B) {
	s := benchSet(b)
	b.Run("login.f", func(b *testing.B) { benchKeystrokes(b, s, "login.f") })
	b.Run("api_key.*", func(b *testing.B) { benchKeystrokes(b, s, "api_key.*") })
}

// BenchmarkKeystrokeText types free text: a fragment of an email address.
func BenchmarkKeystrokeText(b *testing.B) {
	s := benchSet(b)
	b.Run("maria.g", func(b *testing.B) { benchKeystrokes(b, s, "maria.g") })
	b.Run("10.4", func(b *testing.B) { benchKeystrokes(b, s, "10.4") })
}

// BenchmarkFilterScratch filters every event with no earlier result.
func BenchmarkFilterScratch(b *testing.B) {
	s := benchSet(b)
	for _, text := range []string{"login.failed", "*.deleted", "acme.co.uk", "e", "proj_", "nothing-matches-this", "signed in from 15", "acme.com signed"} {
		m := CompileMatcher(text)
		b.Run(strings.ReplaceAll(text, "*", "STAR"), func(b *testing.B) {
			b.ReportAllocs()
			var got []int32
			cpu := processCPU()
			for range b.N {
				var err error
				if got, err = s.Filter(context.Background(), m, nil); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
			b.ReportMetric(float64(len(got)), "matches")
		})
	}
}

// BenchmarkFilterWorkers compares one goroutine with all cores on the
// costliest filters, to show whether splitting the work pays.
func BenchmarkFilterWorkers(b *testing.B) {
	s := benchSet(b)
	defer func(w int) { filterWorkers = w }(filterWorkers)
	for _, workers := range []int{1, runtime.NumCPU()} {
		for _, text := range []string{"e", "nothing-matches-this", "acme.com signed"} {
			m := CompileMatcher(text)
			b.Run(fmt.Sprintf("%d/%s", workers, text), func(b *testing.B) {
				filterWorkers = workers
				cpu := processCPU()
				for range b.N {
					if _, err := s.Filter(context.Background(), m, nil); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu)
			})
		}
	}
}

// BenchmarkTypeCounts counts types over everything and over a filtered result.
func BenchmarkTypeCounts(b *testing.B) {
	s := benchSet(b)
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if len(s.TypeCounts(nil)) == 0 {
				b.Fatal("no types")
			}
		}
	})
	within, _ := s.Filter(context.Background(), CompileMatcher("acme.com"), nil)
	b.Run(fmt.Sprintf("%d-indices", len(within)), func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if len(s.TypeCounts(within)) == 0 {
				b.Fatal("no types")
			}
		}
	})
}

// BenchmarkAppend is the cost of loading events into the index, per page.
func BenchmarkAppend(b *testing.B) {
	events := synthEvents(100_000, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		appendPages(&Set{}, events)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
}

// bubblesItem is an event in a bubbles list, filtered on the same fields
// the Set searches, computed once as a real program would cache it.
type bubblesItem string

func (i bubblesItem) FilterValue() string { return string(i) }

func newBubblesItem(e *Event) bubblesItem {
	return bubblesItem(strings.Join(append([]string{e.Type, e.Actor.Email(), e.Actor.IP(), e.Project.ID, e.Project.Name, Summary(e)}, append(e.Actor.IDs(), e.ResourceIDs()...)...), " "))
}

type bubblesDelegate struct{}

func (bubblesDelegate) Height() int                                             { return 1 }
func (bubblesDelegate) Spacing() int                                            { return 0 }
func (bubblesDelegate) Update(tea.Msg, *list.Model) tea.Cmd                     { return nil }
func (bubblesDelegate) Render(w io.Writer, _ list.Model, _ int, item list.Item) {}

// bubblesEvents is how many events the bubbles list holds: a million would
// take minutes per run; its filter is linear in the item count.
const bubblesEvents = 100_000

// BenchmarkKeystrokeBubblesList types the same text into a bubbles v2 list
// holding the first bubblesEvents events.
func BenchmarkKeystrokeBubblesList(b *testing.B) {
	s := benchSet(b)
	items := make([]list.Item, bubblesEvents)
	for i := range items {
		items[i] = newBubblesItem(s.At(i))
	}
	l := list.New(items, bubblesDelegate{}, 120, 40)
	l.Paginator.Type = paginator.Arabic
	for _, word := range []string{"login.f", "maria.g"} {
		b.Run(word, func(b *testing.B) {
			for _, text := range typing(word) {
				b.Run(text, func(b *testing.B) {
					b.ReportAllocs()
					cpu := processCPU()
					for range b.N {
						l.SetFilterText(text)
					}
					reportCPU(b, cpu)
					b.ReportMetric(float64(len(l.VisibleItems())), "matches")
				})
			}
		})
	}
}
