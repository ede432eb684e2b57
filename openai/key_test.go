package openai

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
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
