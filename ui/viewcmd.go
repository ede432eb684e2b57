package ui

import (
	"errors"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
)

// viewQuery is the query that selects what the list shows: the query in
// force with the filter box and the picked types folded in. Type terms of
// one key OR together, so the query's types, a type glob in the filter and
// the picked types are intersected into one set of type: terms.
func (m *Model) viewQuery() (string, error) {
	text := m.query.text
	var sets [][]string
	var queryTypes []string
	if q, err := query.Parse(text, m.query.anchor); err == nil {
		for _, t := range q.Terms() {
			if t.Key == query.KeyType && !t.Negated {
				queryTypes = append(queryTypes, t.Value)
			}
		}
	}
	if len(queryTypes) > 0 {
		expanded, err := model.ExpandTypes(queryTypes)
		if err != nil {
			return "", err
		}
		sets = append(sets, expanded)
	}
	filter := strings.TrimSpace(m.input.Value())
	if filter != "" && m.matcher.TypeOnly() {
		expanded, err := model.ExpandTypes([]string{filter})
		if err != nil {
			return "", err
		}
		sets = append(sets, expanded)
		filter = ""
	}
	if len(m.types) > 0 {
		sets = append(sets, m.types)
	}
	var add []string
	if len(sets) > 0 {
		types := sets[0]
		for _, s := range sets[1:] {
			types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return !slices.Contains(s, t) })
		}
		if len(types) == 0 {
			return "", errors.New("the view's types exclude each other")
		}
		for _, t := range types {
			add = append(add, query.FormatTerm(query.KeyType, t, false))
		}
	}
	if filter != "" {
		add = append(add, query.FormatTerm(query.KeyText, filter, false))
	}
	return query.EditTerms(text, m.query.anchor, func(t query.Term) bool {
		return len(sets) > 0 && t.Key == query.KeyType && !t.Negated
	}, add...), nil
}

// shellQuote quotes s for a POSIX shell: single quotes, with each ' as '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellWord is s as one word for a POSIX shell: as it is when it holds
// only characters no shell treats specially, else quoted.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@,+%") == "" {
		return s
	}
	return shellQuote(s)
}

// copyViewCommand is E: the auditui export command that writes what the
// list shows, so a finding can be re-run or scheduled.
func (m *Model) copyViewCommand() tea.Cmd {
	q, err := m.viewQuery()
	if err != nil {
		m.notice = "no command gives this view: " + sanitize.OneLine(err.Error())
		return nil
	}
	if sanitize.Escape(q) != q {
		// A pasted command must run what it shows; hidden characters would not.
		m.notice = "the query holds hidden characters: not copied as a command"
		return nil
	}
	cmd := "auditui export"
	if q != "" {
		cmd += " -q " + shellQuote(q)
	}
	for _, arg := range m.opts.SourceArgs {
		if sanitize.Escape(arg) != arg {
			m.notice = "the source's flags hold hidden characters: not copied as a command"
			return nil
		}
		cmd += " " + shellWord(arg)
	}
	m.notice = "copied: " + sanitize.Display(cmd)
	return tea.SetClipboard(cmd)
}
