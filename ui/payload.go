package ui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/sanitize"
)

// renderPayload adds the type-specific object: the named fields of a known
// type as a readable tree, and anything else as a folded JSON tree. With
// befores, the fields changed are left to the before → after section.
func renderPayload(d *detailDoc, e *model.Event, known, befores bool) {
	if len(e.Payload) == 0 {
		return
	}
	if known {
		dt := e.Details()
		if befores {
			dt.Changes = nil
		}
		if renderDetails(d, e.Type, dt) {
			return
		}
	}
	tree := model.PayloadTree(e.Payload)
	if len(tree.Children) == 0 && (tree.Kind == model.NodeObject || tree.Kind == model.NodeArray || tree.Kind == model.NodeNull) {
		return // {} (a sign-in says nothing more): no heading over nothing
	}
	title := "Payload"
	if !known {
		title = "Payload · unknown type, shown as sent"
	}
	d.section(title)
	renderTree(d, tree, 1)
}

// renderDetails shows the fields model.Details understood; false when it
// found none, so the generic tree is shown instead.
func renderDetails(d *detailDoc, typ string, dt model.Details) bool {
	start := len(d.lines)
	d.section("Object · " + typeNoun(typ))
	head := len(d.lines)
	d.field("id", dt.ResourceID)
	d.field("name", dt.Name)
	d.field("email", dt.Email)
	d.field("role", dt.Role)
	listField(d, "scopes", dt.Scopes, d.s.DetailValue)
	listField(d, "allowed IPs", dt.AllowedIPs, d.s.DetailValue)
	listField(d, "permissions", dt.Permissions, d.s.DetailValue)
	listField(d, "added", prefixed("+ ", dt.PermissionsAdded), d.s.Added)
	listField(d, "removed", prefixed("− ", dt.PermissionsRemoved), d.s.Removed)
	if dt.ErrorCode != "" || dt.ErrorMessage != "" {
		d.fieldStyled("error code", dt.ErrorCode, d.s.StatusError)
		d.fieldStyled("error", dt.ErrorMessage, d.s.StatusError)
	}
	for _, it := range dt.Items {
		v := it.ID
		if it.Name != "" {
			v += " (" + it.Name + ")"
		}
		d.field("item", v)
	}
	limits := map[string]bool{}
	if len(dt.RateLimits) > 0 {
		d.text(d.s.DetailKey, "  rate limits")
		pairs := make([][2]string, 0, len(dt.RateLimits))
		for _, rl := range dt.RateLimits {
			v := commas64(rl.Value)
			if rl.Unit != "" {
				v += " " + rl.Unit
			}
			limits[rl.Name] = true
			pairs = append(pairs, [2]string{rl.Name, v})
		}
		d.group(2, pairs, d.s.DetailValue)
	}
	var changes [][2]string
	for _, c := range dt.Changes {
		if !limits[c.Field] { // already shown with its unit
			changes = append(changes, [2]string{c.Field, "→ " + c.Value})
		}
	}
	if len(changes) > 0 {
		d.text(d.s.DetailKey, "  changed")
		d.group(2, changes, d.s.DetailValue)
	}
	if len(d.lines) == head {
		d.lines = d.lines[:start]
		return false
	}
	return true
}

// typeNoun names the object an event type acts on: the type's name up to
// its last dot, spelled for people (api_key → "API key").
func typeNoun(typ string) string {
	noun := typ
	if i := strings.LastIndexByte(typ, '.'); i > 0 {
		noun = typ[:i]
	}
	noun = strings.ReplaceAll(strings.ReplaceAll(noun, "_", " "), ".", " ")
	return strings.NewReplacer("api key", "API key", "ip allowlist", "IP allow-list", "scim", "SCIM").Replace(noun)
}

func listField(d *detailDoc, key string, values []string, st lipgloss.Style) {
	for i, v := range values {
		k := ""
		if i == 0 {
			k = key
		}
		d.indented(1, k, v, st)
	}
}

func prefixed(p string, values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = p + v
	}
	return out
}

func commas64(n int64) string {
	if n >= -1<<31 && n < 1<<31 {
		return commas(int(n))
	}
	return strconv.FormatInt(n, 10)
}

// maxExpandDepth is how deep the generic tree unfolds; deeper objects and
// arrays are shown folded with their size (r shows them whole).
const maxExpandDepth = 4

// Bounds on the generic tree, so a hostile payload cannot flood the pane:
// members shown per object or array, and lines in all.
const (
	maxTreeChildren = 100
	maxTreeLines    = 2000
)

// renderTree draws a JSON tree, one member a line, folding deep containers.
func renderTree(d *detailDoc, n model.Node, depth int) {
	for i, c := range n.Children {
		if i == maxTreeChildren || len(d.lines) >= maxTreeLines {
			d.text(d.s.DetailMuted, strings.Repeat("  ", depth)+"… "+plural(len(n.Children)-i, "more member")+" (r shows the raw record)")
			return
		}
		switch c.Kind {
		case model.NodeObject, model.NodeArray:
			if len(c.Children) == 0 {
				d.indented(depth, c.Key, emptyContainer(c.Kind), d.s.DetailMuted)
				continue
			}
			if depth >= maxExpandDepth {
				d.indented(depth, c.Key, folded(c), d.s.DetailMuted)
				continue
			}
			if s, ok := inlineScalars(c); ok {
				d.indented(depth, c.Key, s, d.s.DetailValue)
				continue
			}
			d.text(d.s.DetailKey, strings.Repeat("  ", depth)+sanitize.Display(c.Key))
			renderTree(d, c, depth+1)
		case model.NodeNull:
			d.indented(depth, c.Key, "null", d.s.DetailMuted)
		default:
			d.indented(depth, c.Key, c.Value, d.s.DetailValue)
		}
	}
}

func emptyContainer(k model.NodeKind) string {
	if k == model.NodeArray {
		return "[]"
	}
	return "{}"
}

func folded(n model.Node) string {
	if n.Kind == model.NodeArray {
		return "[…] " + plural(len(n.Children), "item")
	}
	return "{…} " + plural(len(n.Children), "key")
}

// inlineScalars shows a short array of scalars on one line.
func inlineScalars(n model.Node) (string, bool) {
	if n.Kind != model.NodeArray || len(n.Children) > 8 {
		return "", false
	}
	parts := make([]string, 0, len(n.Children))
	for _, c := range n.Children {
		if c.Kind == model.NodeObject || c.Kind == model.NodeArray {
			return "", false
		}
		parts = append(parts, c.Value)
	}
	return strings.Join(parts, ", "), true
}
