package fakeapi

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
)

// countingWriter counts bytes and keeps the first and last few.
type countingWriter struct {
	n          int64
	head, tail []byte
	xs         int64 // bytes that are the filler x
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if len(c.head) < 200 {
		c.head = append(c.head, p[:min(len(p), 200-len(c.head))]...)
	}
	c.tail = append(c.tail, p...)
	if len(c.tail) > 200 {
		c.tail = c.tail[len(c.tail)-200:]
	}
	c.xs += int64(bytes.Count(p, []byte("x")))
	return len(p), nil
}

// The bomb is small on the wire, inflates to exactly Size bytes of one
// page, and is not held whole by the server.
func TestGzipBombInflatesToSize(t *testing.T) {
	const size = 64<<20 + 12345
	_, base := serve(t, testOrg(), WithFaults(Fault{Kind: GzipBomb, OnRequest: 1, Size: size}))
	req, _ := http.NewRequest("GET", base+Path, nil)
	req.Header.Set("Authorization", "Bearer "+DefaultKey)
	req.Header.Set("Accept-Encoding", "gzip") // set by hand: the transport leaves the body compressed
	res, err := freshClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	var wire countingWriter
	z, err := gzip.NewReader(io.TeeReader(res.Body, &wire))
	if err != nil {
		t.Fatal(err)
	}
	var plain countingWriter
	if _, err := io.Copy(&plain, z); err != nil {
		t.Fatal(err)
	}
	if plain.n != size || wire.n > size/500 {
		t.Fatalf("%d bytes on the wire inflated to %d, want %d from at most %d", wire.n, plain.n, size, size/500)
	}
	if !bytes.HasPrefix(plain.head, []byte(`{"object":"list","data":[{"id":"audit_log-bomb",`)) ||
		!bytes.HasSuffix(plain.tail, []byte(`x"}],"first_id":"audit_log-bomb","last_id":"audit_log-bomb","has_more":false}`)) {
		t.Fatalf("not a page: %q ... %q", plain.head, plain.tail)
	}
	if plain.xs < size-200 {
		t.Fatalf("%d bytes of filler in %d, want all but the page's framing", plain.xs, size)
	}
}
