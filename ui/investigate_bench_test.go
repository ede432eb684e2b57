package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// investigating is the million-event browser with its facet index built, as
// it is after the pages arrived.
func investigating(b *testing.B) *Model {
	m := benchModel(b)
	m.facetIdx.Update(m.set)
	return m
}

// run hands Update msg and then every message its commands lead to, as the
// program would, ignoring timers.
func run(m *Model, msg tea.Msg) *Model {
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		nm, cmd := m.Update(queue[0])
		m, queue = nm.(*Model), queue[1:]
		cmds := []tea.Cmd{cmd}
		for len(cmds) > 0 {
			c := cmds[0]
			cmds = cmds[1:]
			if c == nil {
				continue
			}
			switch out := c().(type) {
			case nil:
			case tea.BatchMsg:
				cmds = append(cmds, out...)
			case derivedMsg, filterMsg:
				queue = append(queue, out)
			}
		}
	}
	return m
}

// BenchmarkOpenFacets is pressing c over a million loaded events until the
// counts are on screen.
func BenchmarkOpenFacets(b *testing.B) {
	m := investigating(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		o := run(m, keyMsg("c"))
		p := topOf[*facetsPanel](o)
		if p == nil || !p.ready || len(p.rows) == 0 {
			b.Fatal("no facets")
		}
		_ = p.Render(o.width, o.height-3)
		run(o, keyMsg("esc"))
	}
}

// BenchmarkQueryLocalTerm is putting in force a query checked here (no new
// fetch) over a million loaded events: the list and histogram redone.
func BenchmarkQueryLocalTerm(b *testing.B) {
	m := investigating(b)
	gen := m.stream.job.gen
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		nm, cmd := m.Update(keyMsg(":"))
		o := nm.(*Model)
		_ = cmd
		bar := topOf[*queryBar](o)
		bar.input.SetValue("-country:US ip:192.0.2.0/24")
		bar.check()
		o = run(o, keyMsg("enter"))
		if o.stream.job.gen != gen || o.list.Len() == 0 || o.list.Len() == benchEvents {
			b.Fatalf("generation %d, %d shown", o.stream.job.gen, o.list.Len())
		}
	}
}
