package model

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readAllEvents(t *testing.T, input string) ([]Event, []RecordError) {
	t.Helper()
	events, skipped, err := ReadEvents(strings.NewReader(input))
	if err != nil {
		t.Fatalf("ReadEvents: %v", err)
	}
	return events, skipped
}

func ids(events []Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

// checkLossless asserts that each event's Raw is exactly the bytes of its
// record in the input and that decoding Raw again gives the same event.
func checkLossless(t *testing.T, input []byte, events []Event) {
	t.Helper()
	for _, e := range events {
		if !bytes.Contains(input, e.Raw) {
			t.Errorf("%s: Raw is not a byte-for-byte slice of the input: %s", e.ID, e.Raw)
		}
		again, err := DecodeEvent(slices.Clone(e.Raw))
		if err != nil {
			t.Errorf("%s: Raw does not decode again: %v", e.ID, err)
			continue
		}
		if !reflect.DeepEqual(again, e) {
			t.Errorf("%s: decoding Raw again gives\n%+v\nnot\n%+v", e.ID, again, e)
		}
	}
}

func TestReadOfficialListExample(t *testing.T) {
	input := readFile(t, "testdata/example-list-response.json")
	events, skipped, err := ReadEvents(bytes.NewReader(input))
	if err != nil || len(skipped) != 0 || len(events) != 2 {
		t.Fatalf("ReadEvents = %d events, skipped %v, err %v; want 2 events", len(events), skipped, err)
	}
	checkLossless(t, input, events)

	e := events[0]
	if e.ID != "audit_log-xxx_yyyymmdd" || e.Type != "project.archived" || !e.EffectiveAt.Equal(time.Unix(1722461446, 0)) || e.EffectiveAt.Location() != time.UTC {
		t.Errorf("event 1 header: %q %q %v", e.ID, e.Type, e.EffectiveAt)
	}
	if !e.Project.IsZero() {
		t.Errorf("event 1 has project %+v, want none", e.Project)
	}
	// The api_key actor in the official example has no id.
	if e.Actor.Kind != ActorAPIKey || e.Actor.Session != nil || e.Actor.APIKey == nil {
		t.Fatalf("event 1 actor: %+v", e.Actor)
	}
	if got, want := *e.Actor.APIKey, (APIKeyActor{Type: APIKeyUser, User: User{ID: "user-xxx", Email: "user@example.com"}}); got != want {
		t.Errorf("event 1 api key actor = %+v, want %+v", got, want)
	}
	if e.Actor.Label() != "user@example.com" || !slices.Equal(e.Actor.IDs(), []string{"user-xxx"}) {
		t.Errorf("event 1 actor label %q ids %q", e.Actor.Label(), e.Actor.IDs())
	}
	if d := e.Details(); d.ResourceID != "proj_abc" {
		t.Errorf("event 1 resource = %q", d.ResourceID)
	}
	if !bytes.Contains(e.Payload, []byte(`"id": "proj_abc"`)) || e.Payload[0] != '{' {
		t.Errorf("event 1 payload = %s", e.Payload)
	}

	e = events[1]
	if e.ID != "audit_log-yyy__20240101" || e.Type != "api_key.updated" || e.EffectiveAt.Unix() != 1720804190 {
		t.Errorf("event 2 header: %q %q %v", e.ID, e.Type, e.EffectiveAt)
	}
	s := e.Actor.Session
	if e.Actor.Kind != ActorSession || s == nil || e.Actor.APIKey != nil {
		t.Fatalf("event 2 actor: %+v", e.Actor)
	}
	want := Session{
		User:      User{ID: "user-xxx", Email: "user@example.com"},
		IPAddress: "127.0.0.1",
		UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.124 Safari/537.36",
		JA3:       "a497151ce4338a12c4418c44d375173e",
		JA4:       "q13d0313h3_55b375c5d22e_c7319ce65786",
		// asn, latitude and longitude are strings in the example and stay text.
		Location: Location{Country: "US", City: "San Francisco", Region: "California", RegionCode: "CA", ASN: "1234", Latitude: "37.77490", Longitude: "-122.41940"},
	}
	if *s != want {
		t.Errorf("event 2 session\n got %+v\nwant %+v", *s, want)
	}
	if e.Actor.IP() != "127.0.0.1" || e.Actor.Country() != "US" {
		t.Errorf("event 2 ip %q country %q", e.Actor.IP(), e.Actor.Country())
	}
	if d := e.Details(); d.ResourceID != "key_xxxx" || !slices.Equal(d.Scopes, []string{"resource_2.operation_2"}) {
		t.Errorf("event 2 details = %+v", d)
	}
	if got := Summary(&e); got != "user@example.com changed the scopes of API key key_xxxx to resource_2.operation_2" {
		t.Errorf("event 2 summary = %q", got)
	}
}

func TestDecodePageOfficialExample(t *testing.T) {
	body := readFile(t, "testdata/example-list-response.json")
	p, err := DecodePage(body)
	if err != nil {
		t.Fatal(err)
	}
	// The example's cursors do not match its ids; they are kept as sent.
	if p.FirstID != "audit_log-xxx__20240101" || p.LastID != "audit_log_yyy__20240101" || !p.HasMore || p.Number != 0 {
		t.Errorf("page = first %q last %q more %v number %d", p.FirstID, p.LastID, p.HasMore, p.Number)
	}
	if !slices.Equal(ids(p.Events), []string{"audit_log-xxx_yyyymmdd", "audit_log-yyy__20240101"}) || len(p.Skipped) != 0 {
		t.Errorf("page events %q skipped %v", ids(p.Events), p.Skipped)
	}
	checkLossless(t, body, p.Events)
}

func TestReadOfficialObjectExample(t *testing.T) {
	input := readFile(t, "testdata/example-audit-log-object.json")
	events, skipped, err := ReadEvents(bytes.NewReader(input))
	if err != nil || len(skipped) != 0 || len(events) != 1 {
		t.Fatalf("ReadEvents = %d events, skipped %v, err %v; want 1 event", len(events), skipped, err)
	}
	e := events[0]
	if e.ID != "req_xxx_20240101" || e.Type != "api_key.created" || e.EffectiveAt.Unix() != 1720804090 {
		t.Errorf("header: %q %q %v", e.ID, e.Type, e.EffectiveAt)
	}
	if s := e.Actor.Session; s == nil || s.User.Email != "user@example.com" || s.IPAddress != "127.0.0.1" || !s.Location.IsZero() || s.JA3 != "" {
		t.Errorf("session = %+v", e.Actor.Session)
	}
	if got := Summary(&e); got != "user@example.com created API key key_xxxx (resource.operation)" {
		t.Errorf("summary = %q", got)
	}
	if !bytes.Equal(e.Raw, bytes.TrimSpace(input)) {
		t.Error("Raw is not the whole object as sent")
	}
	checkLossless(t, input, events)
}

// The verbatim official example has trailing commas inside both records:
// reading it reports each record with where the damage is, and panics on
// nothing.
func TestReadOfficialVerbatimExample(t *testing.T) {
	input := readFile(t, "testdata/example-list-response.verbatim.txt")
	events, skipped, err := ReadEvents(bytes.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 0 {
		t.Errorf("got %d events from invalid records", len(events))
	}
	want := []RecordError{
		{Line: 4, Index: 0, Reason: "record is not valid JSON (line 21: invalid character '}' looking for beginning of object key string)"},
		{Line: 22, Index: 1, Reason: "record is not valid JSON (line 54: invalid character '}' looking for beginning of object key string)"},
	}
	if !reflect.DeepEqual(skipped, want) {
		t.Errorf("skipped\n got %+v\nwant %+v", skipped, want)
	}
	if got := skipped[0].Error(); got != "line 4: record is not valid JSON (line 21: invalid character '}' looking for beginning of object key string)" {
		t.Errorf("error text %q", got)
	}

	_, err = DecodePage(input)
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") || !strings.Contains(err.Error(), "invalid character '}'") {
		t.Errorf("DecodePage(verbatim) error = %v, want one saying it is not valid JSON and why", err)
	}
}

// Three records written in every shape ReadEvents sniffs.
var (
	recA = record("api_key.created", actorAlice, `{"id":"key_abc","data":{"scopes":["api.model.read"]}}`)
	recB = strings.Replace(record("login.failed", actorBob, `{"error_code":"invalid_password"}`), "audit_log-1", "audit_log-2", 1)
	recC = strings.Replace(record("tenant.user.added", actorNull, ""), "audit_log-1", "audit_log-3", 1)
)

func page(more bool, recs ...string) string {
	first, last := "null", "null"
	if len(recs) > 0 {
		first = fmt.Sprintf("%q", mustDecodeID(recs[0]))
		last = fmt.Sprintf("%q", mustDecodeID(recs[len(recs)-1]))
	}
	return fmt.Sprintf(`{"object":"list","data":[%s],"first_id":%s,"last_id":%s,"has_more":%v}`, strings.Join(recs, ","), first, last, more)
}

func mustDecodeID(rec string) string {
	e, err := DecodeEvent([]byte(rec))
	if err != nil {
		panic(err)
	}
	return e.ID
}

// pretty indents compact JSON the way the API and jq print it.
func pretty(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		panic(err)
	}
	return b.String() + "\n"
}

func TestReadEventsShapes(t *testing.T) {
	want := []string{"audit_log-1", "audit_log-2", "audit_log-3"}
	shapes := map[string]string{
		"jsonl":                               recA + "\n" + recB + "\n" + recC + "\n",
		"jsonl without final newline":         recA + "\n" + recB + "\n" + recC,
		"jsonl with CRLF and blank lines":     "\r\n" + recA + "\r\n\r\n  \r\n" + recB + "\r\n" + recC + "\r\n\r\n",
		"jsonl with a byte-order mark":        "\xEF\xBB\xBF" + recA + "\n" + recB + "\n" + recC + "\n",
		"array":                               "[" + recA + "," + recB + "," + recC + "]",
		"pretty array":                        pretty("[" + recA + "," + recB + "," + recC + "]"),
		"array with one record per line":      "[\n" + recA + ",\n" + recB + ",\n" + recC + "\n]\n",
		"one list response":                   page(false, recA, recB, recC),
		"one pretty list response":            pretty(page(false, recA, recB, recC)),
		"list response with keys reordered":   `{"has_more":false,"data":[` + recA + "," + recB + "," + recC + `],"object":"list"}`,
		"list response with data key last":    `{"first_id":"x","data":[` + recA + "," + recB + "," + recC + `]}`,
		"concatenated pretty list responses":  pretty(page(true, recA, recB)) + pretty(page(false, recC)),
		"pretty list responses, blank lines":  pretty(page(true, recA)) + "\n\n" + pretty(page(true, recB)) + "\n\n\n" + pretty(page(false, recC)) + "\n",
		"concatenated compact, one line":      page(true, recA, recB) + page(false, recC),
		"concatenated compact, spaced":        page(true, recA) + "  " + page(true, recB) + "\t" + page(false, recC),
		"compact list responses, one a line":  page(true, recA) + "\n" + page(true, recB, recC) + "\n",
		"array of list responses (jq -s)":     pretty("[" + page(true, recA, recB) + "," + page(false, recC) + "]"),
		"empty page between pages":            page(true, recA, recB) + "\n" + page(true) + "\n" + page(false, recC),
		"jsonl mixing records and a page":     recA + "\n" + page(false, recB, recC) + "\n",
		"records one after another, pretty":   pretty(recA) + pretty(recB) + "\n" + pretty(recC),
		"records one after another, compact":  recA + recB + recC,
		"one-line list then pretty responses": page(true, recA) + "\n" + pretty(page(false, recB, recC)),
	}
	for name, input := range shapes {
		t.Run(name, func(t *testing.T) {
			events, skipped := readAllEvents(t, input)
			if !slices.Equal(ids(events), want) || len(skipped) != 0 {
				t.Errorf("got %q, skipped %v; want %q", ids(events), skipped, want)
			}
			checkLossless(t, []byte(input), events)
		})
	}
}

func TestReadEventsSingleRecords(t *testing.T) {
	for name, input := range map[string]string{
		"compact": recB,
		"pretty":  pretty(recB),
		"hand-formatted over lines": `{"id": "audit_log-2", "type": "login.failed",
  "effective_at": 1720804190, "actor": null}`,
	} {
		events, skipped := readAllEvents(t, input)
		if !slices.Equal(ids(events), []string{"audit_log-2"}) || len(skipped) != 0 {
			t.Errorf("%s: got %q, skipped %v", name, ids(events), skipped)
		}
	}
	for _, input := range []string{"", "   \n\r\n\t", "\xEF\xBB\xBF"} {
		events, skipped := readAllEvents(t, input)
		if len(events) != 0 || len(skipped) != 0 {
			t.Errorf("%q: got %d events, skipped %v; want nothing", input, len(events), skipped)
		}
	}
}

func TestReadEventsBadJSONLLines(t *testing.T) {
	recD := strings.Replace(recA, "audit_log-1", "audit_log-4", 1)
	input := strings.Join([]string{
		recA,
		`{"id":"b","type":"login.failed",`, // cut short
		recB,
		`not json at all`,
		`{"id":"d","type":"login.failed","effective_at":"soon"}`, // wrong-shaped field
		`{"id":"e" "type":"x"}`,                                  // invalid JSON that still balances
		`[1, "two"]`,                                             // a list of things that are not records
		`{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}`,
		`{"type":"login.failed","effective_at":1}`, // no id
		recC,
		`{"id":"f","type":"login.failed","effective_at":1720804190}{"id":"g"`, // one good value, then a cut one
		`{"object":"list","data":"nope"}`,
		recD,
	}, "\n")
	events, skipped := readAllEvents(t, input)
	if got, want := ids(events), []string{"audit_log-1", "audit_log-2", "audit_log-3", "f", "audit_log-4"}; !slices.Equal(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
	want := []struct {
		line   int
		index  int
		reason string
	}{
		{2, -1, "cut short"},
		{4, -1, "expected a JSON object or array, found not json at all"},
		{5, -1, `"effective_at" is not Unix seconds`},
		{6, -1, "invalid character '\"' after object key:value pair"},
		{7, 0, "record is not a JSON object"},
		{7, 1, "record is not a JSON object"},
		{8, -1, "the API answered with an error instead of events: Incorrect API key provided"},
		{9, -1, `record has no "id"`},
		{11, -1, "cut short"},
		{12, -1, `"data" is not a list`},
	}
	if len(skipped) != len(want) {
		t.Fatalf("skipped %d records, want %d: %v", len(skipped), len(want), skipped)
	}
	for i, w := range want {
		s := skipped[i]
		if s.Line != w.line || s.Index != w.index || !strings.Contains(s.Reason, w.reason) {
			t.Errorf("skipped[%d] = %+v, want line %d index %d reason containing %q", i, s, w.line, w.index, w.reason)
		}
	}
	checkLossless(t, []byte(input), events)
}

func TestReadEventsWrongShapedRecordInList(t *testing.T) {
	bad := `{"id":5,"type":"login.failed","effective_at":1720804190}`
	for name, input := range map[string]string{
		"array":         "[" + recA + ",\n" + bad + ",\n" + recC + "]",
		"list response": page(false, recA, "\n"+bad, "\n"+recC),
		"pretty page":   pretty(page(false, recA, bad, recC)),
	} {
		t.Run(name, func(t *testing.T) {
			events, skipped := readAllEvents(t, input)
			if !slices.Equal(ids(events), []string{"audit_log-1", "audit_log-3"}) {
				t.Errorf("events %q", ids(events))
			}
			wantLine := 2
			if name == "pretty page" {
				wantLine = strings.Count(input[:strings.Index(input, `"id": 5`)], "\n")
			}
			if len(skipped) != 1 || skipped[0].Index != 1 || skipped[0].Line != wantLine || skipped[0].Reason != `"id" is not a string` {
				t.Errorf("skipped %+v, want record 1 at line %d", skipped, wantLine)
			}
		})
	}

	p, err := DecodePage([]byte(page(true, recA, bad, recC)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(p.Events), []string{"audit_log-1", "audit_log-3"}) || len(p.Skipped) != 1 ||
		p.Skipped[0] != (RecordError{Index: 1, Reason: `"id" is not a string`}) {
		t.Errorf("page events %q skipped %+v", ids(p.Events), p.Skipped)
	}
	if got := p.Skipped[0].Error(); got != `record 2: "id" is not a string` {
		t.Errorf("skipped error text %q", got)
	}
}

func TestReadEventsDamagedLists(t *testing.T) {
	t.Run("invalid record inside a pretty array", func(t *testing.T) {
		input := "[\n" + recA + ",\n" + `{"id": "x", "type": nope}` + ",\n" + recC + "\n]\n"
		events, skipped := readAllEvents(t, input)
		if !slices.Equal(ids(events), []string{"audit_log-1", "audit_log-3"}) {
			t.Errorf("events %q", ids(events))
		}
		if len(skipped) != 1 || skipped[0].Line != 3 || skipped[0].Index != 1 || !strings.Contains(skipped[0].Reason, "not valid JSON") {
			t.Errorf("skipped %+v", skipped)
		}
	})
	t.Run("curl output cut short, then another response", func(t *testing.T) {
		first := pretty(page(true, recA, recB))
		cut := first[:strings.Index(first, `"login.failed"`)] // inside the second record
		input := cut + "\n" + pretty(page(false, recC))
		events, skipped := readAllEvents(t, input)
		if !slices.Equal(ids(events), []string{"audit_log-1", "audit_log-3"}) {
			t.Errorf("events %q", ids(events))
		}
		if len(skipped) == 0 || !strings.Contains(skipped[0].Reason, "cut short") {
			t.Errorf("skipped %+v, want the cut record reported", skipped)
		}
		for _, s := range skipped {
			if s.Line < 1 || s.Line > strings.Count(cut, "\n")+1 {
				t.Errorf("skip %+v points outside the damaged response", s)
			}
		}
	})
	t.Run("trailing comma in the envelope only", func(t *testing.T) {
		input := `{"object":"list","data":[` + recA + `,` + recB + `,],"has_more":false,}`
		events, skipped := readAllEvents(t, input)
		if !slices.Equal(ids(events), []string{"audit_log-1", "audit_log-2"}) {
			t.Errorf("events %q", ids(events))
		}
		if len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "list response is not valid JSON") || !strings.Contains(skipped[0].Reason, "still read") {
			t.Errorf("skipped %+v", skipped)
		}
	})
	t.Run("text between responses", func(t *testing.T) {
		input := pretty(page(true, recA)) + "HTTP/1.1 200 OK\ncontent-type: application/json\n\n" + pretty(page(false, recB))
		events, skipped := readAllEvents(t, input)
		if !slices.Equal(ids(events), []string{"audit_log-1", "audit_log-2"}) {
			t.Errorf("events %q", ids(events))
		}
		if len(skipped) != 1 || !strings.Contains(skipped[0].Reason, "HTTP/1.1 200 OK") {
			t.Errorf("skipped %+v", skipped)
		}
	})
}

func TestReadEventsVeryLongRecords(t *testing.T) {
	long := strings.Repeat("x", 10<<20)
	big := fmt.Sprintf(`{"id":"big","type":"login.succeeded","effective_at":1720804190,"actor":{"type":"session","session":{"user":{"id":"u"},"user_agent":"%s"}},"login.succeeded":{}}`, long)
	for name, input := range map[string]string{
		"jsonl": recA + "\n" + big + "\n" + recC + "\n",
		"page":  pretty(page(false, recA, big, recC)),
	} {
		events, skipped, err := ReadEvents(strings.NewReader(input))
		if err != nil || len(skipped) != 0 || !slices.Equal(ids(events), []string{"audit_log-1", "big", "audit_log-3"}) {
			t.Fatalf("%s: events %q skipped %v err %v", name, ids(events), skipped, err)
		}
		if ua := events[1].Actor.Session.UserAgent; len(ua) != len(long) {
			t.Errorf("%s: user agent has %d bytes, want %d", name, len(ua), len(long))
		}
	}
}

type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func TestReadEventsReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	events, _, err := ReadEvents(&failingReader{strings.NewReader(recA + "\n" + recB + "\n"), boom})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want it to wrap %v", err, boom)
	}
	if !slices.Equal(ids(events), []string{"audit_log-1", "audit_log-2"}) {
		t.Errorf("events read before the failure: %q", ids(events))
	}
}

func TestReadEventsFromFile(t *testing.T) {
	f, err := os.Open("testdata/example-list-response.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, skipped, err := ReadEvents(f)
	if err != nil || len(skipped) != 0 || len(events) != 2 {
		t.Errorf("from *os.File: %d events, skipped %v, err %v", len(events), skipped, err)
	}
}

func TestDecodePageErrors(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"empty":            {"  ", "empty"},
		"array":            {"[" + recA + "]", "not a JSON object"},
		"invalid":          {`{"object":"list","data":[`, "not valid JSON: it is cut short"},
		"html":             {`<html>502 Bad Gateway</html>`, "not a JSON object"},
		"not a list":       {`{"object":"audit_log","data":[]}`, `not a list ("object" is "audit_log")`},
		"data not a list":  {`{"object":"list","data":{}}`, `"data" is not a list`},
		"no data":          {`{"object":"list","has_more":false}`, `no "data" list`},
		"has_more wrong":   {`{"object":"list","data":[],"has_more":"yes"}`, `"has_more" is "yes", not true or false`},
		"first_id wrong":   {`{"object":"list","data":[],"first_id":5}`, `"first_id" is 5, not a string`},
		"last_id wrong":    {`{"object":"list","data":[],"last_id":{}}`, `"last_id" is {}, not a string`},
		"API error":        {`{"error":{"message":"Incorrect API key provided: sk-...","type":"invalid_request_error"}}`, "an error, not a list: Incorrect API key provided"},
		"record, not page": {recA, `no "data" list`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := DecodePage([]byte(c.body))
			if err == nil {
				t.Fatalf("DecodePage = %+v, want an error", p)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestDecodePageEmpty(t *testing.T) {
	p, err := DecodePage([]byte(`{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}`))
	if err != nil || len(p.Events) != 0 || p.FirstID != "" || p.LastID != "" || p.HasMore {
		t.Errorf("empty page = %+v, %v", p, err)
	}
	p, err = DecodePage([]byte(`{"data":[` + recC + `]}`)) // "object" and cursors are optional
	if err != nil || !slices.Equal(ids(p.Events), []string{"audit_log-3"}) {
		t.Errorf("minimal page = %+v, %v", p, err)
	}
}

func TestReadEventsLineNumbersStayLinear(t *testing.T) {
	// Many bad lines must each be reported with the right line.
	var b strings.Builder
	for i := 0; i < 2000; i++ {
		if i%2 == 0 {
			b.WriteString(`{"broken":` + "\n")
		} else {
			fmt.Fprintf(&b, `{"id":"e%d","type":"login.succeeded","effective_at":%d}`+"\n", i, 1720000000+i)
		}
	}
	events, skipped := readAllEvents(t, b.String())
	if len(events) != 1000 || len(skipped) != 1000 {
		t.Fatalf("%d events, %d skipped", len(events), len(skipped))
	}
	for i, s := range skipped {
		if s.Line != 2*i+1 {
			t.Fatalf("skipped[%d] at line %d, want %d", i, s.Line, 2*i+1)
		}
	}
}

// FuzzDecodeEvent: no input panics, and a decoded event has an id and a
// type and decodes again from its Raw to the same event.
func FuzzDecodeEvent(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEvent(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		checkFuzzedEvent(t, e)
	})
}

// FuzzReadEvents: no input panics or fails; every event has an id and a
// type and round-trips through its Raw; every skipped record has a line
// inside the input. DecodePage gets the same input.
func FuzzReadEvents(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		input, _ := io.ReadAll(&utf16Reader{r: bytes.NewReader(data)}) // what is decoded
		events, skipped, err := ReadEvents(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("ReadEvents: %v", err)
		}
		for _, e := range events {
			checkFuzzedEvent(t, e)
			if !bytes.Contains(input, e.Raw) {
				t.Fatalf("Raw %q is not part of the input", e.Raw)
			}
		}
		lines := bytes.Count(input, []byte{'\n'}) + 1
		for _, s := range skipped {
			if s.Line < 1 || s.Line > lines || s.Reason == "" {
				t.Fatalf("skipped %+v: line outside 1-%d or no reason", s, lines)
			}
		}
		if p, err := DecodePage(input); err == nil {
			for _, e := range p.Events {
				checkFuzzedEvent(t, e)
			}
		}
	})
}

func checkFuzzedEvent(t *testing.T, e Event) {
	t.Helper()
	if e.ID == "" || e.Type == "" {
		t.Fatalf("event without id or type: %+v", e)
	}
	again, err := DecodeEvent(slices.Clone(e.Raw))
	if err != nil {
		t.Fatalf("Raw %q does not decode again: %v", e.Raw, err)
	}
	if !reflect.DeepEqual(again, e) {
		t.Fatalf("Raw decodes to\n%+v\nnot\n%+v", again, e)
	}
	// Everything computed from an event must cope with whatever it holds.
	_ = Summary(&e)
	_ = e.Details()
	_ = PayloadTree(e.Payload)
	_ = e.ResourceIDs()
}

// Raw is exactly the bytes of the record as it stood in the input, in every
// shape, so that export writes what the API sent.
func TestReadEventsRawIsTheRecordAsSent(t *testing.T) {
	recs := []string{recA, recB, recC}
	for name, input := range map[string]string{
		"jsonl":      recA + "\r\n" + recB + "\n\n" + recC,
		"array":      "[ " + recA + " ,\n" + recB + "," + recC + "\t]",
		"page":       page(false, recA, recB, recC),
		"two pages":  page(true, recA, recB) + "\n" + page(false, recC),
		"concatened": recA + recB + " " + recC,
	} {
		events, skipped := readAllEvents(t, input)
		if len(events) != 3 || len(skipped) != 0 {
			t.Fatalf("%s: %d events, skipped %v", name, len(events), skipped)
		}
		for i, e := range events {
			if string(e.Raw) != recs[i] {
				t.Errorf("%s: event %d Raw\n%s\nwant\n%s", name, i, e.Raw, recs[i])
			}
		}
	}
}

// Nesting millions deep would overflow the stack inside gjson's recursive
// validator, a fatal error no recover can catch; it is refused instead.
func TestHostileNesting(t *testing.T) {
	const n = 12_000_000 // gjson's validator overflows the stack at about 7 million
	deepArray := strings.Repeat("[", n) + strings.Repeat("]", n)
	deepRecord := `{"id":"a","type":"x","effective_at":1,"x":` + deepArray + "}"

	events, skipped, err := ReadEvents(strings.NewReader(recA + "\n" + deepArray + "\n" + deepRecord + "\n" + recC + "\n"))
	if err != nil || !slices.Equal(ids(events), []string{"audit_log-1", "audit_log-3"}) {
		t.Errorf("events %q err %v", ids(events), err)
	}
	if len(skipped) != 2 || skipped[0].Line != 2 || skipped[1].Line != 3 {
		t.Errorf("skipped %+v, want lines 2 and 3", skipped)
	}
	if _, err := DecodeEvent([]byte(deepRecord)); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("DecodeEvent(deep) error = %v", err)
	}
	if _, err := DecodePage([]byte(`{"object":"list","data":[` + deepRecord + `]}`)); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("DecodePage(deep) error = %v", err)
	}
	if n := PayloadTree(json.RawMessage(deepArray)); n.Kind != NodeString {
		t.Errorf("PayloadTree(deep) = kind %v, want the text as a string", n.Kind)
	}

	// Within the limit, Details still flattens a deep changes_requested
	// without recursing without bound.
	changes := strings.Repeat(`{"k":`, 5000) + "1" + strings.Repeat("}", 5000)
	e := mustDecode(t, record("role.updated", actorNull, `{"id":"r","changes_requested":`+changes+`}`))
	d := e.Details()
	if len(d.Changes) != 1 || strings.Count(d.Changes[0].Field, "k") != maxChangeDepth+1 {
		t.Errorf("deep changes flattened to %d changes, first field %q", len(d.Changes), d.Changes[0].Field)
	}
	_ = Summary(&e)
	_ = PayloadTree(e.Payload)
}

func TestReadEventsUTF16WithByteOrderMark(t *testing.T) {
	utf8Input := recA + "\r\n" + recB + "\r\n" + recC + "\r\n"
	want, _ := readAllEvents(t, utf8Input)
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		units := utf16.Encode([]rune("\uFEFF" + utf8Input))
		b := make([]byte, 2*len(units))
		for i, u := range units {
			order.PutUint16(b[2*i:], u)
		}
		got, skipped, err := ReadEvents(bytes.NewReader(b))
		if err != nil || len(skipped) != 0 || len(got) != len(want) {
			t.Fatalf("%v: %d events, skipped %v, %v; want %d", order, len(got), skipped, err, len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i].Raw, want[i].Raw) {
				t.Fatalf("%v: record %d is %s, want %s", order, i, got[i].Raw, want[i].Raw)
			}
		}
	}
}

// TestReadEventsStreamsLargeFiles: input several chunks long, as JSON lines
// or as a JSON array with a record per line, reads every record once in
// order, with skipped records reported at their own line, whatever chunk
// they fall in.
func TestReadEventsStreamsLargeFiles(t *testing.T) {
	const n = 40_000 // about 3 MiB: several chunks
	for _, shape := range []string{"jsonl", "array", "pretty"} {
		t.Run(shape, func(t *testing.T) {
			var b bytes.Buffer
			line := 1
			bad := map[int]bool{}
			if shape != "jsonl" {
				b.WriteString("[\n")
				line++
			}
			for i := range n {
				sep := "\n"
				if shape != "jsonl" && i < n-1 {
					sep = ",\n"
				}
				switch {
				case i%9973 == 5:
					bad[line] = true
					fmt.Fprintf(&b, `{"id":%d,"type":"login.failed","effective_at":1}`+sep, i)
				case shape == "pretty":
					fmt.Fprintf(&b, "{\n  \"id\": \"audit_log-%06d\",\n  \"type\": \"login.failed\",\n  \"effective_at\": %d\n}"+sep, i, 1720000000-i)
					line += 4
				default:
					fmt.Fprintf(&b, `{"id":"audit_log-%06d","type":"login.failed","effective_at":%d}`+sep, i, 1720000000-i)
				}
				line++
			}
			if shape != "jsonl" {
				b.WriteString("]\n")
			}
			events, skipped, err := ReadEvents(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if want := n - len(bad); len(events) != want {
				t.Fatalf("%d events, want %d; skipped %v", len(events), want, skipped)
			}
			for k := 1; k < len(events); k++ {
				if events[k].ID <= events[k-1].ID {
					t.Fatalf("event %d (%s) after %s", k, events[k].ID, events[k-1].ID)
				}
			}
			if len(skipped) != len(bad) {
				t.Fatalf("skipped %v, want lines %v", skipped, bad)
			}
			for _, s := range skipped {
				if !bad[s.Line] {
					t.Fatalf("skipped %v reported at a line that is not bad (%v)", s, bad)
				}
			}
		})
	}
}

// TestReadEventsCapsOneRecord: endless zeros (/dev/zero, a sparse file) or
// one line longer than maxRecord fail with a sentence after at most about
// maxRecord of memory, keeping what was read before; a 10 MB record reads.
func TestReadEventsCapsOneRecord(t *testing.T) {
	_, _, err := ReadEvents(zeros{})
	if err == nil || !strings.Contains(err.Error(), "not an audit log") || !strings.Contains(err.Error(), "line 1") {
		t.Fatalf("endless zeros: %v", err)
	}
	first := `{"id":"a","type":"login.failed","effective_at":1}` + "\n"
	events, _, err := ReadEvents(io.MultiReader(strings.NewReader(first+`{"id":"b","note":"`), zeros{}))
	if err == nil || !strings.Contains(err.Error(), "line 2") || len(events) != 1 {
		t.Fatalf("a record without end after one good one: %d events, %v", len(events), err)
	}
	huge := `{"id":"big","type":"login.failed","effective_at":2,"note":"` + strings.Repeat("x", 10<<20) + `"}` + "\n"
	events, skipped, err := ReadEvents(strings.NewReader(first + huge + first))
	if err != nil || len(events) != 3 || len(skipped) != 0 || len(events[1].Raw) != len(huge)-1 {
		t.Fatalf("a 10 MB record: %d events, %v, %v", len(events), skipped, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestReadEventsStopsWithTheContext: a reader that blocks forever (a FIFO
// with no writer, a pipe left open) does not hold ReadEventsContext once
// its context ends.
func TestReadEventsStopsWithTheContext(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, _, err := ReadEventsContext(ctx, pr)
		done <- err
	}()
	if _, err := pw.Write([]byte(`{"id":"a","type":"login.failed","effective_at":1}` + "\n")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadEventsContext after cancel: %v", err)
	}
}
