package fakeapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/tidwall/gjson"
)

// testNow is a fixed "now" so that the organisation is the same in every run.
var testNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

var (
	orgOnce   sync.Once
	orgEvents []model.Event
)

// testOrg is a 3,000-event hostile organisation shared by the tests (read only).
func testOrg() []model.Event {
	orgOnce.Do(func() { orgEvents = Org(OrgOptions{Events: 3000, Seed: 42, Now: testNow, Hostile: true}) })
	return orgEvents
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// list is the decoded shape of a list answer, with the records kept raw.
type list struct {
	Object  string            `json:"object"`
	Data    []json.RawMessage `json:"data"`
	FirstID *string           `json:"first_id"`
	LastID  *string           `json:"last_id"`
	HasMore bool              `json:"has_more"`
}

func (r response) list(t *testing.T) list {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", r.status, r.body)
	}
	var l list
	if err := json.Unmarshal(r.body, &l); err != nil {
		t.Fatalf("body is not a list response: %v: %.200s", err, r.body)
	}
	return l
}

func (r response) ids(t *testing.T) []string {
	t.Helper()
	var ids []string
	for _, d := range r.list(t).Data {
		ids = append(ids, gjson.GetBytes(d, "id").String())
	}
	return ids
}

// apiErr checks an error answer: its status and the spec's envelope, and
// returns the error object.
func (r response) apiErr(t *testing.T, status int) gjson.Result {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	e := gjson.GetBytes(r.body, "error")
	for _, k := range []string{"message", "type", "param", "code"} {
		if !e.Get(k).Exists() {
			t.Errorf("error envelope lacks %q: %s", k, r.body)
		}
	}
	if e.Get("message").String() == "" || e.Get("type").String() == "" {
		t.Errorf("error envelope has an empty message or type: %s", r.body)
	}
	return e
}

func get(t *testing.T, base string, key string, query string) response {
	t.Helper()
	return do(t, http.DefaultClient, http.MethodGet, base+Path+"?"+query, key)
}

func do(t *testing.T, c *http.Client, method, target, key string) response {
	t.Helper()
	req, err := http.NewRequest(method, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{res.StatusCode, res.Header, body}
}

func serve(t *testing.T, events []model.Event, opts ...Option) (*Server, string) {
	t.Helper()
	s := New(events, opts...)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts.URL
}

func TestAuth(t *testing.T) {
	const key = "sk-admin-right-key-123"
	_, base := serve(t, testOrg(), WithKey(key))
	cases := []struct {
		name   string
		header string
	}{
		{"missing", ""},
		{"wrong key", "Bearer sk-admin-wrong-key-456"},
		{"not bearer", "Basic " + key},
		{"bearer without key", "Bearer "},
		{"key with a suffix", "Bearer " + key + "x"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, base+Path, nil)
			if c.header != "" {
				req.Header.Set("Authorization", c.header)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			e := response{res.StatusCode, res.Header, body}.apiErr(t, http.StatusUnauthorized)
			if e.Get("code").String() != "invalid_api_key" || e.Get("type").String() != "invalid_request_error" || e.Get("param").Type != gjson.Null {
				t.Errorf("envelope = %s, want code invalid_api_key, type invalid_request_error, param null", e.Raw)
			}
			for _, secret := range []string{key, "sk-admin-wrong-key-456", "right-key", "wrong-key"} {
				if bytes.Contains(body, []byte(secret)) {
					t.Errorf("the error repeats a key: %s", body)
				}
			}
		})
	}
	if r := get(t, base, key, ""); r.status != http.StatusOK {
		t.Errorf("the right key got %d: %s", r.status, r.body)
	}
	// Auth schemes are case-insensitive in HTTP.
	req, _ := http.NewRequest(http.MethodGet, base+Path, nil)
	req.Header.Set("Authorization", "bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("scheme in lower case got %d", res.StatusCode)
	}
}

func TestDefaultKey(t *testing.T) {
	_, base := serve(t, testOrg())
	if r := get(t, base, DefaultKey, ""); r.status != http.StatusOK {
		t.Errorf("DefaultKey got %d: %s", r.status, r.body)
	}
}

func TestPathsAndMethods(t *testing.T) {
	_, base := serve(t, testOrg())
	for _, p := range []string{Path, PathNoV1} {
		r := do(t, http.DefaultClient, http.MethodGet, base+p, DefaultKey)
		if got := len(r.list(t).Data); got != 20 {
			t.Errorf("GET %s: %d events, want the default 20", p, got)
		}
	}
	r := do(t, http.DefaultClient, http.MethodGet, base+"/v1/organization/audit_logs/extra", DefaultKey)
	r.apiErr(t, http.StatusNotFound)
	r = do(t, http.DefaultClient, http.MethodGet, base+"/v1/organization/projects", DefaultKey)
	r.apiErr(t, http.StatusNotFound)
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		r := do(t, http.DefaultClient, m, base+Path, DefaultKey)
		r.apiErr(t, http.StatusMethodNotAllowed)
		if r.header.Get("Allow") != http.MethodGet {
			t.Errorf("%s: Allow = %q, want GET", m, r.header.Get("Allow"))
		}
	}
}

func TestListShapeAndRawBytes(t *testing.T) {
	all := testOrg()
	_, base := serve(t, all)
	events := orgSide(all)
	r := get(t, base, DefaultKey, "limit=50")
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	l := r.list(t)
	if l.Object != "list" || len(l.Data) != 50 || !l.HasMore {
		t.Fatalf("object %q, %d events, has_more %v; want list, 50, true", l.Object, len(l.Data), l.HasMore)
	}
	// The body is exactly the envelope around the stored records.
	var want bytes.Buffer
	want.WriteString(`{"object":"list","data":[`)
	for i, e := range events[:50] {
		if i > 0 {
			want.WriteByte(',')
		}
		want.Write(e.Raw)
	}
	want.WriteString(`],"first_id":"` + events[0].ID + `","last_id":"` + events[49].ID + `","has_more":true}`)
	if !bytes.Equal(r.body, want.Bytes()) {
		t.Errorf("body differs from the stored records in their envelope:\n got %.300s\nwant %.300s", r.body, want.Bytes())
	}
	for i, d := range l.Data {
		if !bytes.Equal(d, events[i].Raw) {
			t.Fatalf("record %d re-encoded:\n got %s\nwant %s", i, d, events[i].Raw)
		}
	}
}

func TestEmptyAnswerHasNullIDs(t *testing.T) {
	_, base := serve(t, testOrg())
	r := get(t, base, DefaultKey, "actor_ids[]=user-nobody")
	l := r.list(t)
	if len(l.Data) != 0 || l.HasMore || l.FirstID != nil || l.LastID != nil {
		t.Errorf("empty answer = %s, want no data, has_more false, null ids", r.body)
	}
	if !bytes.Contains(r.body, []byte(`"data":[]`)) {
		t.Errorf("data should be an empty array: %s", r.body)
	}
	// No events at all.
	_, base = serve(t, nil)
	if l := get(t, base, DefaultKey, "").list(t); len(l.Data) != 0 || l.FirstID != nil || l.HasMore {
		t.Errorf("a server without events answered %+v", l)
	}
}

func TestLimitValidation(t *testing.T) {
	_, base := serve(t, testOrg())
	for _, bad := range []string{"0", "101", "-1", "abc", "1.5", "1e2", "9999999999999999999999"} {
		e := get(t, base, DefaultKey, "limit="+url.QueryEscape(bad)).apiErr(t, http.StatusBadRequest)
		if e.Get("param").String() != "limit" {
			t.Errorf("limit=%s: param = %s, want limit", bad, e.Get("param").Raw)
		}
	}
	for _, n := range []int{1, 7, 100} {
		if got := len(get(t, base, DefaultKey, "limit="+strconv.Itoa(n)).list(t).Data); got != n {
			t.Errorf("limit=%d gave %d events", n, got)
		}
	}
}

func TestBadParameters(t *testing.T) {
	events := testOrg()
	_, base := serve(t, events)
	cases := []struct{ query, param string }{
		{"effective_at[gte]=yesterday", "effective_at[gte]"},
		{"effective_at[gt]=1.5", "effective_at[gt]"},
		{"effective_at[lt]=2024-01-01", "effective_at[lt]"},
		{"effective_at[lte]=abc", "effective_at[lte]"},
		{"event_types[]=not.a.type", "event_types[]"},
		{"event_types[]=login.succeeded&event_types[]=nope", "event_types[]"},
		{"event_types=login.succeeded", "event_types"}, // the spec's name has brackets
		{"effective_at.gte=1", "effective_at.gte"},
		{"page=2", "page"},
		{"tenant_only=yes", "tenant_only"},
		{"tenant_only=true&event_types[]=login.succeeded", "event_types[]"},
		{"event_types[]=role.bound_to_resource", "event_types[]"},
		{"tenant_only=false&event_types[]=tenant.user.added", "event_types[]"},
		{"after=audit_log-unknown", "after"},
		{"before=audit_log-unknown", "before"},
		{"after=" + events[3].ID + "&before=" + events[1].ID, "before"},
		{"limit=5&limit=6", "limit"},
	}
	for _, c := range cases {
		e := get(t, base, DefaultKey, c.query).apiErr(t, http.StatusBadRequest)
		if got := e.Get("param").String(); got != c.param {
			t.Errorf("%s: param %q, want %q (%s)", c.query, got, c.param, e.Get("message"))
		}
		if e.Get("type").String() != "invalid_request_error" {
			t.Errorf("%s: type %s", c.query, e.Get("type").Raw)
		}
	}
}

// pageAll follows after cursors from the newest event to the end and
// returns every id in order plus the number of requests made.
func pageAll(t *testing.T, base, query string, limit int) ([]string, int) {
	t.Helper()
	var ids []string
	after := ""
	for n := 1; ; n++ {
		if n > 20_000 {
			t.Fatalf("still paging after %d requests: the cursor does not advance", n)
		}
		q := query + "&limit=" + strconv.Itoa(limit)
		if after != "" {
			q += "&after=" + url.QueryEscape(after)
		}
		r := get(t, base, DefaultKey, q)
		l := r.list(t)
		page := r.ids(t)
		if len(page) > limit {
			t.Fatalf("page of %d events with limit %d", len(page), limit)
		}
		if len(page) > 0 && (*l.FirstID != page[0] || *l.LastID != page[len(page)-1]) {
			t.Fatalf("first_id %s / last_id %s don't match the page's ends %s / %s", *l.FirstID, *l.LastID, page[0], page[len(page)-1])
		}
		if l.HasMore && len(page) != limit {
			t.Fatalf("has_more on a short page (%d of %d)", len(page), limit)
		}
		ids = append(ids, page...)
		if !l.HasMore {
			return ids, n
		}
		after = *l.LastID
	}
}

// orgSide is the events listed without tenant_only: all but tenant-scoped.
func orgSide(events []model.Event) []model.Event {
	return slices.DeleteFunc(slices.Clone(events), func(e model.Event) bool { return model.IsTenantType(e.Type) })
}

func idsOf(events []model.Event, keep func(*model.Event) bool) []string {
	var ids []string
	for i := range events {
		if keep == nil || keep(&events[i]) {
			ids = append(ids, events[i].ID)
		}
	}
	return ids
}

func TestPagingAfterIsExact(t *testing.T) {
	events := testOrg()
	_, base := serve(t, events)
	want := idsOf(orgSide(events), nil)
	for _, limit := range []int{1, 7, 100} {
		got, requests := pageAll(t, base, "", limit)
		if !slices.Equal(got, want) {
			t.Fatalf("limit %d: paging returned %d ids, want all %d in order", limit, len(got), len(want))
		}
		if wantReq := (len(want) + limit - 1) / limit; requests != wantReq {
			t.Errorf("limit %d: %d requests, want %d", limit, requests, wantReq)
		}
	}
	// With a filter, the cursor may be an event the filter skips.
	wantLogins := idsOf(events, func(e *model.Event) bool { return e.Type == "login.succeeded" })
	got, _ := pageAll(t, base, "event_types[]=login.succeeded", 7)
	if !slices.Equal(got, wantLogins) {
		t.Errorf("filtered paging: %d ids, want %d", len(got), len(wantLogins))
	}
}

func TestPagingBeforeIsExact(t *testing.T) {
	events := testOrg()
	_, base := serve(t, events)
	want := idsOf(orgSide(events), nil)
	oldest := want[len(want)-1]
	for _, limit := range []int{1, 7, 100} {
		got := []string{oldest}
		before := oldest
		for n := 0; ; n++ {
			if n > len(want) {
				t.Fatalf("limit %d: still paging after %d requests: the cursor does not advance", limit, n)
			}
			r := get(t, base, DefaultKey, "limit="+strconv.Itoa(limit)+"&before="+url.QueryEscape(before))
			l := r.list(t)
			page := r.ids(t)
			if len(page) == 0 {
				t.Fatalf("limit %d: empty page before %s", limit, before)
			}
			if l.HasMore && len(page) != limit {
				t.Fatalf("limit %d: has_more on a short page", limit)
			}
			got = append(slices.Clone(page), got...)
			if !l.HasMore {
				break
			}
			before = *l.FirstID
		}
		if !slices.Equal(got, want) {
			t.Fatalf("limit %d: backward paging returned %d ids, want all %d in order", limit, len(got), len(want))
		}
	}
}

func TestHasMoreOnExactMultiple(t *testing.T) {
	events := orgSide(testOrg())[:40]
	_, base := serve(t, events)
	l := get(t, base, DefaultKey, "limit=20").list(t)
	if !l.HasMore {
		t.Fatal("first of two full pages says has_more false")
	}
	l = get(t, base, DefaultKey, "limit=20&after="+*l.LastID).list(t)
	if len(l.Data) != 20 || l.HasMore {
		t.Errorf("last full page: %d events, has_more %v; want 20, false", len(l.Data), l.HasMore)
	}
	l = get(t, base, DefaultKey, "limit=20&after="+events[39].ID).list(t)
	if len(l.Data) != 0 || l.HasMore || l.LastID != nil {
		t.Errorf("after the oldest: %+v, want an empty last page", l)
	}
}

func TestFiltersReachTheRightEvents(t *testing.T) {
	events := testOrg()
	_, base := serve(t, events)

	// Pick real values from the organisation.
	mid := events[len(events)/2]
	at := mid.EffectiveAt.Unix()
	var keyActor, svcActor, sessionUser, email, project, resource string
	for i := range events {
		e := &events[i]
		a := e.Actor
		switch {
		case a.APIKey != nil && a.APIKey.Type == "user" && a.APIKey.ID != "" && keyActor == "":
			keyActor = a.APIKey.ID
		case a.APIKey != nil && a.APIKey.ServiceAccountID != "" && svcActor == "":
			svcActor = a.APIKey.ServiceAccountID
		case a.Session != nil && sessionUser == "" && a.Session.User.Email == "bob.okafor@acme-robotics.example":
			sessionUser = a.Session.User.ID
		}
		if e.Type == "api_key.updated" && resource == "" {
			resource = gjson.GetBytes(e.Payload, "id").String()
		}
	}
	email, project = "陈静@acme-robotics.example", projects[1].id
	unixOf := func(e *model.Event) int64 { return e.EffectiveAt.Unix() }
	payloadID := func(e *model.Event) string { return gjson.GetBytes(e.Payload, "id").String() }
	actorIDs := func(e *model.Event) []string {
		r := gjson.GetBytes(e.Raw, "actor")
		return []string{r.Get("session.user.id").String(), r.Get("api_key.id").String(), r.Get("api_key.user.id").String(), r.Get("api_key.service_account.id").String()}
	}

	cases := []struct {
		name  string
		query string
		keep  func(e *model.Event) bool
	}{
		{"one type", "event_types[]=login.failed", func(e *model.Event) bool { return e.Type == "login.failed" }},
		{"two types", "event_types[]=api_key.created&event_types[]=api_key.deleted", func(e *model.Event) bool {
			return e.Type == "api_key.created" || e.Type == "api_key.deleted"
		}},
		{"unknown type the server stores", "event_types[]=" + HostileUnknownType, func(e *model.Event) bool { return e.Type == HostileUnknownType }},
		{"user key actor", "actor_ids[]=" + keyActor, func(e *model.Event) bool { return slices.Contains(actorIDs(e), keyActor) }},
		{"service account actor", "actor_ids[]=" + svcActor, func(e *model.Event) bool { return slices.Contains(actorIDs(e), svcActor) }},
		{"two actors", "actor_ids[]=" + sessionUser + "&actor_ids[]=" + svcActor, func(e *model.Event) bool {
			ids := actorIDs(e)
			return slices.Contains(ids, sessionUser) || slices.Contains(ids, svcActor)
		}},
		{"email", "actor_emails[]=" + url.QueryEscape(email), func(e *model.Event) bool {
			r := gjson.GetBytes(e.Raw, "actor")
			return r.Get("session.user.email").String() == email || r.Get("api_key.user.email").String() == email
		}},
		{"project", "project_ids[]=" + project, func(e *model.Event) bool { return gjson.GetBytes(e.Raw, "project.id").String() == project }},
		{"resource", "resource_ids[]=" + resource, func(e *model.Event) bool { return payloadID(e) == resource }},
		{"gt", "effective_at[gt]=" + strconv.FormatInt(at, 10), func(e *model.Event) bool { return unixOf(e) > at }},
		{"gte", "effective_at[gte]=" + strconv.FormatInt(at, 10), func(e *model.Event) bool { return unixOf(e) >= at }},
		{"lt", "effective_at[lt]=" + strconv.FormatInt(at, 10), func(e *model.Event) bool { return unixOf(e) < at }},
		{"lte", "effective_at[lte]=" + strconv.FormatInt(at, 10), func(e *model.Event) bool { return unixOf(e) <= at }},
		{"window", "effective_at[gte]=" + strconv.FormatInt(at-86400, 10) + "&effective_at[lt]=" + strconv.FormatInt(at, 10), func(e *model.Event) bool {
			return unixOf(e) >= at-86400 && unixOf(e) < at
		}},
		{"tenant only", "tenant_only=true", func(e *model.Event) bool { return model.IsTenantType(e.Type) }},
		{"tenant only false", "tenant_only=false", func(e *model.Event) bool { return true }},
		{"a tenant type and another", "tenant_only=true&event_types[]=role.bound_to_resource&event_types[]=tenant.user.added", func(e *model.Event) bool {
			return e.Type == "role.bound_to_resource" || e.Type == "tenant.user.added"
		}},
		{"tenant only with a tenant type", "tenant_only=true&event_types[]=role.bound_to_resource", func(e *model.Event) bool { return e.Type == "role.bound_to_resource" }},
		{"fields are ANDed", "event_types[]=login.succeeded&actor_ids[]=" + sessionUser + "&effective_at[lt]=" + strconv.FormatInt(at, 10), func(e *model.Event) bool {
			return e.Type == "login.succeeded" && slices.Contains(actorIDs(e), sessionUser) && unixOf(e) < at
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tenant := strings.Contains(c.query, "tenant_only=true")
			want := idsOf(events, func(e *model.Event) bool { return c.keep(e) && model.IsTenantType(e.Type) == tenant })
			if len(want) == 0 || len(want) == len(events) && !strings.Contains(c.name, "false") {
				t.Fatalf("the case selects %d of %d events; pick a value that discriminates", len(want), len(events))
			}
			got, _ := pageAll(t, base, c.query, 100)
			if !slices.Equal(got, want) {
				t.Errorf("%s: got %d events, want %d", c.query, len(got), len(want))
			}
		})
	}
	// The strict reading: an email is compared exactly, case included.
	if got, _ := pageAll(t, base, "actor_emails[]="+url.QueryEscape(strings.ToUpper(email)), 100); len(got) != 0 {
		t.Errorf("an upper-cased email selected %d events; the server compares emails exactly", len(got))
	}
}

func TestTimeBoundsAtEqualSeconds(t *testing.T) {
	// Three events in the same second and one either side.
	base := int64(1_700_000_000)
	var events []model.Event
	for i, secs := range []int64{base + 1, base, base, base, base - 1} {
		raw := `{"id":"audit_log-t` + strconv.Itoa(i) + `","type":"login.succeeded","effective_at":` + strconv.FormatInt(secs, 10) + `,"login.succeeded":{}}`
		e, err := model.DecodeEvent([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	_, srv := serve(t, events)
	b := strconv.FormatInt(base, 10)
	for q, want := range map[string]int{
		"effective_at[gt]=" + b: 1, "effective_at[gte]=" + b: 4, "effective_at[lt]=" + b: 1, "effective_at[lte]=" + b: 4,
		"effective_at[gt]=" + b + "&effective_at[lte]=" + b: 0, "effective_at[gte]=" + b + "&effective_at[lte]=" + b: 3,
	} {
		if got := len(get(t, srv, DefaultKey, q).list(t).Data); got != want {
			t.Errorf("%s: %d events, want %d", q, got, want)
		}
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	s, base := serve(t, testOrg())
	before := time.Now()
	get(t, base, DefaultKey, "event_types[]=login.failed&event_types[]=login.succeeded&effective_at[gte]=5&limit=3")
	get(t, base, "", "")
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests recorded, want 2", len(reqs))
	}
	r := reqs[0]
	if !slices.Equal(r.Query["event_types[]"], []string{"login.failed", "login.succeeded"}) || r.Query.Get("effective_at[gte]") != "5" || r.Query.Get("limit") != "3" {
		t.Errorf("recorded query %v", r.Query)
	}
	if r.Header.Get("Authorization") != "Bearer "+DefaultKey || r.Method != http.MethodGet || r.Path != Path {
		t.Errorf("recorded %s %s with Authorization %q", r.Method, r.Path, r.Header.Get("Authorization"))
	}
	if r.At.Before(before) || reqs[1].At.Before(r.At) {
		t.Errorf("times %v, %v not in order after %v", r.At, reqs[1].At, before)
	}
	// A copy: changing it does not change the record.
	reqs[0].Query.Set("limit", "99")
	if s.Requests()[0].Query.Get("limit") != "3" {
		t.Error("Requests returned the recorder's own map")
	}
}

func TestConcurrentRequests(t *testing.T) {
	s, base := serve(t, testOrg(), WithFaults(Fault{Kind: ServerError, Rate: 0.5, Seed: 3}))
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, base+Path+"?limit="+strconv.Itoa(1+i), nil)
			req.Header.Set("Authorization", "Bearer "+DefaultKey)
			if res, err := http.DefaultClient.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
		wg.Go(func() { _ = s.Requests() })
	}
	wg.Wait()
	if n := len(s.Requests()); n != 40 {
		t.Errorf("%d requests recorded, want 40", n)
	}
}
