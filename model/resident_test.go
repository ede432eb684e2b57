package model_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// The resident benchmark loads a file of the synthetic organisation the
// way the browser's --file does (read it, a MemorySource over it, every
// page appended to a Set) in a process of its own, so that nothing else
// the test binary did is counted, and reports what that process holds per
// event: the live heap after a collection and VmRSS, GC headroom included,
// both while loaded and at its peak. "held" keeps every record in memory as
// before ReadFileEvents; "file" leaves them in the file.
//
//	go test -run '^$' -bench Resident -benchtime 1x ./model/
//
// AUDITUI_RESIDENT_FILE names an existing file to load instead of making
// one per size.
func BenchmarkResident(b *testing.B) {
	sizes, given := []int{100_000, 1_000_000}, os.Getenv("AUDITUI_RESIDENT_FILE")
	if given != "" {
		sizes = []int{0} // the whole file
	}
	for _, n := range sizes {
		path := given
		if path == "" {
			path = filepath.Join(b.TempDir(), "org.jsonl")
			child(b, "write", path, n) // in a process of its own, so this one stays small
		}
		for _, mode := range []string{"held", "file"} {
			b.Run(fmt.Sprintf("%s/%d", mode, n), func(b *testing.B) {
				var got map[string]float64
				for range b.N {
					got = child(b, mode, path, n)
				}
				per := got["events"]
				b.ReportMetric(got["heap"]/per, "heap-B/event")
				b.ReportMetric(got["rss"]/per, "rss-B/event")
				b.ReportMetric(got["hwm"]/per, "peak-rss-B/event")
				b.ReportMetric(per, "events")
			})
		}
	}
}

// child runs TestResidentChild in a new process and returns the numbers it printed.
func child(b *testing.B, mode, path string, n int) map[string]float64 {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestResidentChild$")
	cmd.Env = append(os.Environ(), "AUDITUI_RESIDENT="+mode+","+path+","+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("%s %s: %v\n%s", mode, path, err, out)
	}
	got := map[string]float64{}
	for _, f := range strings.Fields(string(out)) {
		k, v, ok := strings.Cut(f, "=")
		if x, err := strconv.ParseFloat(v, 64); ok && err == nil {
			got[k] = x
		}
	}
	if mode != "write" && got["events"] == 0 {
		b.Fatalf("%s: no events loaded:\n%s", mode, out)
	}
	return got
}

// TestResidentChild is the process BenchmarkResident starts; it does
// nothing in an ordinary test run.
func TestResidentChild(t *testing.T) {
	spec := os.Getenv("AUDITUI_RESIDENT")
	if spec == "" {
		t.Skip("run by BenchmarkResident")
	}
	parts := strings.Split(spec, ",")
	mode, path := parts[0], parts[1]
	n, _ := strconv.Atoi(parts[2])
	if mode == "write" {
		if err := writeOrg(path, n); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := context.Background()
	var events []model.Event
	if mode == "file" {
		events, _, err = model.ReadFileEvents(ctx, f, path)
	} else {
		events, _, err = model.ReadEventsContext(ctx, struct{ io.Reader }{f}) // not an *os.File: held
	}
	if err != nil {
		t.Fatal(err)
	}
	src := model.NewMemorySource(path, events)
	events = nil
	set := &model.Set{}
	for page, err := range src.Pages(ctx, model.Query{}) {
		if err != nil {
			t.Fatal(err)
		}
		set.Append(page.Events)
	}
	rss, hwm := procStatus(t, "VmRSS"), procStatus(t, "VmHWM")
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	fmt.Printf("events=%d heap=%d rss=%d hwm=%d\n", set.Len(), s[0].Value.Uint64(), rss, hwm)
	runtime.KeepAlive(src)
}

// procStatus reads a size in bytes from /proc/self/status.
func procStatus(t *testing.T, key string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status:", err)
	}
	for line := range bytes.Lines(b) {
		if v, ok := bytes.CutPrefix(line, []byte(key+":")); ok {
			kb, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(v), []byte(" kB"))), 10, 64)
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}

// writeOrg writes n events of the synthetic organisation newest first, one a line.
func writeOrg(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fakeapi.WriteJSONL(f, fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 1})); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
