package openai

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// TestBodiesRepeatingTheKeyDoNotLeakIt: answers of 200 that repeat the
// Authorization header where a page is read (the object, cursors, has_more,
// records, a body cut short) fail or skip records without the key showing
// in the sentence, its causes, or the reasons records were skipped.
func TestBodiesRepeatingTheKeyDoNotLeakIt(t *testing.T) {
	for name, body := range map[string]string{
		"object":                  `{"object":"%s","data":[]}`,
		"has_more":                `{"object":"list","data":[],"has_more":"%s"}`,
		"cursor as an object":     `{"object":"list","data":[],"last_id":{"k":"%s"},"has_more":true}`,
		"long cursor":             `{"object":"list","data":[],"last_id":"` + strings.Repeat("x", 290) + `%s","has_more":true}`,
		"data as an object":       `{"object":"list","data":{"k":"%s"}}`,
		"cut short after the key": `{"object":"list","data":[{"id":"%s`,
		"records":                 `{"object":"list","data":[{"id":"%[1]s"},{"id":7,"type":"%[1]s"},"%[1]s",{"id":"a","type":"x","effective_at":"%[1]s"}],"has_more":false}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, body, r.Header.Get("Authorization"))
			}))
			defer srv.Close()
			for p, err := range testClient(srv.URL).Pages(context.Background(), model.Query{}) {
				keyFree(t, err)
				if err != nil {
					oneSentence(t, err.Error())
				}
				for _, s := range p.Skipped {
					if strings.Contains(s.Error(), testKey[:20]) {
						t.Fatalf("a skipped record's reason shows the key: %s", s.Error())
					}
				}
			}
		})
	}
}

// readerSees is text as a person reads it off a line: controls, invisible
// characters and white space gone, so a key split by them is whole again.
func readerSees(s string) string {
	return strings.Join(strings.Fields(sanitize.OneLine(s)), "")
}

// keyRunFree fails when what shows holds any 12 characters in a row of
// what the server echoed, as a reader sees both.
func keyRunFree(t *testing.T, echoed string, err error) {
	t.Helper()
	e := readerSees(echoed)
	for x := err; x != nil; x = errors.Unwrap(x) {
		seen := readerSees(x.Error() + fmt.Sprintf(" %#v", x))
		for i := 0; i+12 <= len(e); i++ {
			if strings.Contains(seen, e[i:i+12]) {
				t.Fatalf("%q of the echo %q shows in %q", e[i:i+12], echoed, x.Error())
			}
		}
	}
}

// keyEchoes are the ways a hostile server gives the key back: split by a
// character a reader does not see, in part, or encoded.
func keyEchoes() map[string]string {
	secret := strings.TrimPrefix(testKey, "sk-admin-")
	split := func(sep string) string { return testKey[:14] + sep + testKey[14:] }
	pct := ""
	for _, c := range []byte(testKey) {
		pct += fmt.Sprintf("%%%02X", c)
	}
	return map[string]string{
		"split by NUL":     split("\x00"),
		"split by RLO":     split("\u202e"),
		"split by NEL":     split("\u0085"),
		"split by LS":      split("\u2028"),
		"split by DEL":     split("\x7f"),
		"split every 11":   secret[:11] + "\u200b" + secret[11:22] + "\u200b" + secret[22:],
		"secret alone":     secret,
		"less its end":     testKey[:len(testKey)-4],
		"middle 12":        secret[5:17],
		"base64":           base64.StdEncoding.EncodeToString([]byte(testKey)),
		"base64 of Bearer": base64.StdEncoding.EncodeToString([]byte("Bearer " + testKey))[12:], // from where it encodes the key
		"base64url":        base64.RawURLEncoding.EncodeToString([]byte("x" + secret)),
		"percent-encoded":  pct,
	}
}

// TestKeyEchoedInPiecesIsRedacted: a server that splits the key with
// invisible characters, echoes part of it, or encodes it, in a 403's
// message, a 400's param or an unreadable page's object, is shown nothing
// a reader could put the key back together from.
func TestKeyEchoedInPiecesIsRedacted(t *testing.T) {
	for name, echo := range keyEchoes() {
		for where, serve := range map[string]func() (http.HandlerFunc, *atomic.Int32){
			"403 message": func() (http.HandlerFunc, *atomic.Int32) {
				return answer(http.StatusForbidden, errorBody("no access for "+echo, ""))
			},
			"400 param": func() (http.HandlerFunc, *atomic.Int32) { return answer(http.StatusBadRequest, errorBody("bad", echo)) },
			"page object": func() (http.HandlerFunc, *atomic.Int32) {
				b, _ := json.Marshal(echo)
				return answer(http.StatusOK, `{"object":`+string(b)+`,"data":[]}`)
			},
		} {
			t.Run(name+" in "+where, func(t *testing.T) {
				h, _ := serve()
				srv := httptest.NewServer(h)
				defer srv.Close()
				err := firstErr(t, testClient(srv.URL))
				keyRunFree(t, echo, err)
				oneSentence(t, err.Error())
			})
		}
	}
}

// TestPageHoldingTheKeyIsRedacted: a well-formed page whose strings hold
// the key (plain, JSON-escaped, split, in a member name) is delivered with
// each of them replaced by the redaction mark and every other byte as sent.
func TestPageHoldingTheKeyIsRedacted(t *testing.T) {
	escaped := `\u0073\u006b-admin-` + strings.TrimPrefix(testKey, "sk-admin-")
	split := testKey[:20] + `\u202e` + testKey[20:]
	raw := `{"id":"audit_1","type":"api_key.created","effective_at":1760000000,` +
		`"actor":{"type":"session","session":{"user":{"id":"user_1","email":"` + testKey + `@x.example"}}},` +
		`"api_key.created":{"id":"key_1","data":{"scopes":["` + escaped + `"],"` + split + `":"note \"` + testKey + `\" here"}}}`
	want := strings.NewReplacer(testKey, redactMark, escaped, redactMark, split, redactMark).Replace(raw)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"object":"list","data":[%s],"first_id":"audit_1","last_id":"audit_1","has_more":false}`, raw)
	}))
	defer srv.Close()
	var got []model.Event
	for p, err := range testClient(srv.URL).Pages(context.Background(), model.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.Events...)
	}
	if len(got) != 1 {
		t.Fatalf("got %d events, want 1", len(got))
	}
	if string(got[0].Raw) != want {
		t.Fatalf("raw =\n%s\nwant\n%s", got[0].Raw, want)
	}
	if !json.Valid(got[0].Raw) || strings.Contains(readerSees(string(got[0].Raw)), "TESTKEY") {
		t.Fatalf("raw is not valid JSON free of the key: %s", got[0].Raw)
	}
	if strings.Contains(got[0].Actor.Email(), "TESTKEY") {
		t.Fatalf("the decoded actor holds the key: %q", got[0].Actor.Email())
	}
}
