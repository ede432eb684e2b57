//go:build unix

package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/openai/fakeapi"
)

// loadFile is the JSONL file BenchmarkLoadFile opens: AUDITUI_BENCH_FILE
// when set (a file made once for several runs), else reopenEvents()
// synthetic events written to a temporary file.
func loadFile(b *testing.B) (string, int) {
	if path := os.Getenv("AUDITUI_BENCH_FILE"); path != "" {
		fh, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer fh.Close()
		events, _, err := model.ReadEvents(fh)
		if err != nil {
			b.Fatal(err)
		}
		return path, len(events)
	}
	n := reopenEvents()
	dir := b.TempDir()
	path := filepath.Join(dir, "org.jsonl")
	if err := writeJSONL(path, fakeapi.Org(fakeapi.OrgOptions{Events: n, Seed: 1, Now: testNow})); err != nil {
		b.Fatal(err)
	}
	return path, n
}

// loadProbe is the browser as tea.NewProgram runs it, timing the first
// frame with rows and the first with every event loaded, then quitting.
type loadProbe struct {
	*Model
	n             int
	start         time.Time
	first, all    time.Duration
	updates, view int
}

func (p *loadProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	p.updates++
	if p.first == 0 && p.list.Len() > 0 {
		p.first = time.Since(p.start) // the frame drawn after this Update has rows
	}
	if p.all == 0 && p.stream.exhausted && p.list.Len() == p.n && !p.filter.job.running {
		p.all = time.Since(p.start)
		return p, tea.Batch(cmd, tea.Quit)
	}
	return p, cmd
}

func (p *loadProbe) View() tea.View { p.view++; return p.Model.View() }

// BenchmarkLoadFile opens the browser over a JSONL file as `auditui --file`
// does, in a real tea.Program at 200x50 writing to nowhere: the time to the
// first frame with rows and to the frame saying every event is loaded, with
// the Updates and Views it took.
func BenchmarkLoadFile(b *testing.B) {
	path, n := loadFile(b)
	for range b.N {
		start, cpu0 := time.Now(), cpuTime()
		fh, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		events, _, err := model.ReadEventsContext(context.Background(), fh)
		if err != nil {
			b.Fatal(err)
		}
		src := model.NewMemorySource(path, events)
		p := &loadProbe{n: n, start: start}
		p.Model = newModel(context.Background(), Options{Source: src, FromFile: true,
			Now: func() time.Time { return testNow }, Location: testZone})
		prog := tea.NewProgram(p, tea.WithInput(nil), tea.WithOutput(io.Discard),
			tea.WithWindowSize(200, 50), tea.WithColorProfile(colorprofile.ANSI256), tea.WithoutSignals())
		if _, err := prog.Run(); err != nil {
			b.Fatal(err)
		}
		fh.Close()
		cpu := cpuTime() - cpu0
		if p.all == 0 {
			b.Fatalf("%d of %d events loaded", p.list.Len(), n)
		}
		b.ReportMetric(float64(p.first.Microseconds())/1000, "ms-first-rows")
		b.ReportMetric(p.all.Seconds(), "s-all-loaded")
		b.ReportMetric(cpu.Seconds(), "cpu-s")
		b.ReportMetric(float64(p.updates), "updates")
		b.ReportMetric(float64(p.view), "views")
		p.cancel()
	}
}
