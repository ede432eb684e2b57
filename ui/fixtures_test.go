package ui

import (
	"context"
	"fmt"
	"iter"
	"net/http/httptest"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai"
	"github.com/auditui/auditui/openai/fakeapi"
)

// Fixed clock and zone so relative and local times are the same everywhere.
var (
	testNow  = time.Date(2024, 7, 12, 18, 0, 0, 0, time.UTC)
	testZone = time.FixedZone("CEST", 2*60*60)
)

func decode(t testing.TB, raw string) model.Event {
	t.Helper()
	e, err := model.DecodeEvent([]byte(raw))
	if err != nil {
		t.Fatalf("decode fixture: %v\n%s", err, raw)
	}
	return e
}

// Fixtures for the detail pane: one per kind of actor, an unknown type and
// a hostile record.
const (
	sessionRecord = `{"id":"evt_session_1","type":"api_key.created","effective_at":1720806900,
	 "project":{"id":"proj_abc","name":"Payments"},
	 "actor":{"type":"session","session":{"user":{"id":"user-alice","email":"alice@example.com"},
	  "ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	  "ja3":"771,4865-4866-4867,0-23-65281,29-23-24,0","ja4":"t13d1516h2_8daaf6152771_02713d6af862",
	  "ip_address_details":{"country":"DE","city":"Berlin","region":"Berlin","asn":"3320","latitude":"52.52","longitude":"13.40"}}},
	 "api_key.created":{"id":"key_abc123","data":{"scopes":["api.model.read","api.files.write"]}}}`

	userKeyRecord = `{"id":"evt_userkey_1","type":"project.updated","effective_at":1720803600,
	 "project":{"id":"proj_abc","name":"Payments"},
	 "actor":{"type":"api_key","api_key":{"id":"key_owner9","type":"user","user":{"id":"user-bob","email":"bob@example.com"}}},
	 "project.updated":{"id":"proj_abc","changes_requested":{"title":"Payments (EU)","settings":{"data_residency":"eu"}}}}`

	serviceAccountRecord = `{"id":"evt_svc_1","type":"rate_limit.updated","effective_at":1720792800,
	 "project":{"id":"proj_ml","name":"Research"},
	 "actor":{"type":"api_key","api_key":{"id":"key_svc42","type":"service_account","service_account":{"id":"svc_acct_ci"}}},
	 "rate_limit.updated":{"id":"rl_gpt4o","changes_requested":{"max_requests_per_1_minute":5000,"max_tokens_per_1_minute":2000000}}}`

	unknownRecord = `{"id":"evt_unknown_1","type":"widget.frobnicated","effective_at":1720799999,
	 "actor":{"type":"session","session":{"user":{"id":"user-carol","email":"carol@example.com"},"ip_address":"198.51.100.4"}},
	 "widget.frobnicated":{"id":"wid_1","level":3,"enabled":true,"owner":null,
	  "tags":["blue","green"],"config":{"mode":"fast","limits":{"soft":10,"hard":{"value":20,"deep":{"deeper":1}}}}}}`

	// hostileRecord carries escape sequences, C1 controls, BiDi overrides
	// and over-long values in every field a person reads.
	hostileRecord = `{"id":"evt_hostile\u001b[2J","type":"login.failed","effective_at":1720807000,
	 "project":{"id":"proj_x","name":"\u202eevil\u202c name"},
	 "actor":{"type":"session","session":{"user":{"id":"user-mallory","email":"mallory\u001b[31m@example.com\u001b]0;pwned\u0007"},
	  "ip_address":"10.0.0.1\u009b2J","user_agent":"curl/8 \u001b]52;c;ZXZpbA==\u001b\\ ` + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + `"}},
	 "login.failed":{"error_code":"invalid_password\r\n","error_message":"bad\u0000 password \u2066for\u2069 \u009dmallory"}}`
)

// pageEvents makes n ordinary events, newest first, one minute apart.
func pageEvents(t testing.TB, n int) []model.Event {
	t.Helper()
	types := []string{"login.succeeded", "api_key.created", "project.created", "user.added", "login.failed", "invite.sent", "api_key.deleted", "service_account.created"}
	users := []string{"alice@example.com", "bob@example.com", "李小龍@example.cn", "dana@example.org"}
	projects := []string{"Payments", "Research", "客户支持", ""}
	out := make([]model.Event, 0, n)
	for i := range n {
		typ := types[i%len(types)]
		at := testNow.Add(-time.Duration(i+1) * time.Minute).Unix()
		project := ""
		if p := projects[i%len(projects)]; p != "" {
			project = fmt.Sprintf(`"project":{"id":"proj_%d","name":%q},`, i%len(projects), p)
		}
		raw := fmt.Sprintf(`{"id":"evt_%05d","type":%q,"effective_at":%d,%s
		 "actor":{"type":"session","session":{"user":{"id":"user-%d","email":%q},"ip_address":"192.0.2.%d"}},
		 %q:{"id":"obj_%05d"}}`, i, typ, at, project, i%len(users), users[i%len(users)], i%250, typ, i)
		out = append(out, decode(t, raw))
	}
	return out
}

// pagedSource serves events in pages and can fail after some pages, like
// the API does; it records the queries it was asked.
type pagedSource struct {
	name     string
	events   []model.Event
	pageSize int
	failAt   int // 1-based page that fails; 0 never fails
	err      error
	queries  []model.Query
}

func (s *pagedSource) Name() string { return s.name }

func (s *pagedSource) Pages(ctx context.Context, q model.Query) iter.Seq2[model.Page, error] {
	s.queries = append(s.queries, q)
	return func(yield func(model.Page, error) bool) {
		start := 0
		if q.After != "" {
			for i, e := range s.events {
				if e.ID == q.After {
					start = i + 1
				}
			}
		}
		size := s.pageSize
		if size == 0 {
			size = model.DefaultPageSize
		}
		for n := 1; start < len(s.events) || n == 1; n++ {
			if ctx.Err() != nil {
				return
			}
			if n == s.failAt {
				s.failAt = 0
				yield(model.Page{}, s.err)
				return
			}
			end := min(start+size, len(s.events))
			p := model.Page{Events: s.events[start:end], Number: n, HasMore: end < len(s.events)}
			if end > start {
				p.FirstID, p.LastID = s.events[start].ID, s.events[end-1].ID
			}
			if !yield(p, nil) || !p.HasMore {
				return
			}
			start = end
		}
	}
}

// newTestModel builds a browser over src with the fixed clock, sized, for
// tests that hand it pages themselves: its fetch goroutine is never started
// and waiting on it returns at once.
func newTestModel(src model.Source, w, h int) *Model {
	m := New(Options{Source: src, Now: func() time.Time { return testNow }, Location: testZone})
	m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	if m.stream.fetch != nil {
		m.stream.job.stop()
		close(m.stream.fetch.pages)
	}
	return send(m, tea.WindowSizeMsg{Width: w, Height: h})
}

func send(m *Model, msgs ...tea.Msg) *Model {
	for _, msg := range msgs {
		nm, _ := m.Update(msg)
		m = nm.(*Model)
	}
	return m
}

// drain runs cmd and every command it leads to, feeding the messages back
// into Update, until nothing is left. Timers are dropped.
func drain(t testing.TB, m *Model, cmd tea.Cmd) *Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 100000 {
			t.Fatal("commands did not settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case spinner.TickMsg:
		default:
			nm, next := m.Update(msg)
			m = nm.(*Model)
			queue = append(queue, next)
		}
	}
	return m
}

// feed hands the model events in pages of size, as a fetch would, then says
// the query is exhausted.
func feed(t testing.TB, m *Model, events []model.Event, size int) *Model {
	t.Helper()
	n := 0
	for start := 0; start < len(events); start += size {
		end := min(start+size, len(events))
		n++
		p := model.Page{Events: events[start:end], Number: n, HasMore: end < len(events), FirstID: events[start].ID, LastID: events[end-1].ID}
		nm, cmd := m.Update(pageMsg{gen: m.stream.job.gen, pages: []model.Page{p}})
		m = drain(t, nm.(*Model), cmd)
	}
	nm, cmd := m.Update(fetchDoneMsg{gen: m.stream.job.gen})
	return drain(t, nm.(*Model), cmd)
}

// namedKeys are the keys keyMsg knows by name; any other s is its first rune.
var namedKeys = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"esc":       {Code: tea.KeyEscape},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"down":      {Code: tea.KeyDown},
	"up":        {Code: tea.KeyUp},
	"space":     {Code: tea.KeySpace, Text: " "},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+d":    {Code: 'd', Mod: tea.ModCtrl},
	"pgdown":    {Code: tea.KeyPgDown},
	"end":       {Code: tea.KeyEnd},
	"backspace": {Code: tea.KeyBackspace},
}

func keyMsg(s string) tea.KeyPressMsg {
	if k, ok := namedKeys[s]; ok {
		return k
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

// press sends keys one by one, running the commands they return.
func press(t testing.TB, m *Model, keys ...string) *Model {
	t.Helper()
	for _, k := range keys {
		nm, cmd := m.Update(keyMsg(k))
		m = drain(t, nm.(*Model), cmd)
	}
	return m
}

// typeText types s into whatever has focus.
func typeText(t testing.TB, m *Model, s string) *Model {
	t.Helper()
	for _, r := range s {
		nm, cmd := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		m = drain(t, nm.(*Model), cmd)
	}
	return m
}

// screenText is the view without colours, as a person reads it.
func screenText(m *Model) string { return ansi.Strip(m.View().Content) }

// pump runs cmd and the commands that follow on goroutines, as Bubble Tea
// does, feeding their messages to Update until cond holds.
func pump(t testing.TB, m *Model, cmd tea.Cmd, cond func(*Model) bool) *Model {
	t.Helper()
	msgs := make(chan tea.Msg, 1024)
	run := func(c tea.Cmd) {
		if c != nil {
			go func() { msgs <- c() }()
		}
	}
	run(cmd)
	deadline := time.After(20 * time.Second)
	for !cond(m) {
		select {
		case msg := <-msgs:
			switch msg := msg.(type) {
			case nil, spinner.TickMsg:
			case tea.BatchMsg:
				for _, c := range msg {
					run(c)
				}
			default:
				nm, next := m.Update(msg)
				m = nm.(*Model)
				run(next)
			}
		case <-deadline:
			t.Fatalf("the condition was not reached; screen:\n%s", screenText(m))
		}
	}
	return m
}

// topOf is the component on top of m's stack as a T; the zero T when the
// top is something else.
func topOf[T Component](m *Model) T {
	t, _ := m.top().(T)
	return t
}

// onTop reports whether the top component is a T.
func onTop[T Component](m *Model) bool {
	_, ok := m.top().(T)
	return ok
}

// fakeServer serves events over loopback with faults, for the real client.
func fakeServer(t *testing.T, events []model.Event, faults ...fakeapi.Fault) (*fakeapi.Server, openai.Config) {
	t.Helper()
	fake := fakeapi.New(events, fakeapi.WithFaults(faults...))
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, openai.Config{AdminKey: fakeapi.DefaultKey, BaseURL: srv.URL + "/v1", Name: "fake org"}
}
