// Package views holds saved views: named queries a person opens from the
// browser's picker. Built-in views cover what security reviews ask first;
// more are read from views.toml in the user's config directory. Beside it,
// columns.toml keeps which list columns the browser shows, in which order.
package views

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/auditui/auditui/model/query"
	"github.com/auditui/auditui/model/sanitize"
)

// View is a named query.
type View struct {
	Name    string
	Query   string
	Builtin bool // shipped with auditui rather than read from the file
}

// builtin are the views every investigation starts from. The same key
// repeated ORs, so each is one list of types.
var builtin = []View{
	{Name: "Failed sign-ins", Query: "type:login.failed"},
	{Name: "API-key lifecycle", Query: "type:api_key.* type:tenant.admin_api_key.* type:tenant.project_api_key.*"},
	{Name: "Role and permission changes", Query: "type:role.* type:user.updated type:service_account.updated type:checkpoint.permission.* type:tenant.custom_role.* type:tenant.role.*"},
	{Name: "IP allow-list, SSO and SCIM changes", Query: "type:ip_allowlist.* type:scim.* type:tenant.sso_connection.* type:tenant.sso.migrated type:tenant.scim.*"},
	{Name: "Organisation settings changes", Query: "type:organization.updated type:certificate.* type:certificates.* type:external_key.* type:external_storage.* type:tenant.metadata.updated type:tenant.policy.* type:tenant.product_access_policy.updated"},
	// The API lists these only when asked for by type.
	{Name: "Tenant-scoped events", Query: "type:tenant.* type:role.bound_to_resource type:role.unbound_from_resource"},
}

// Builtin returns the built-in security views.
func Builtin() []View {
	out := make([]View, len(builtin))
	for i, v := range builtin {
		v.Builtin = true
		out[i] = v
	}
	return out
}

// FileName is the saved views' file in auditui's config directory.
const FileName = "views.toml"

// Path is where saved views are read from: auditui/views.toml under the
// user's config directory (XDG_CONFIG_HOME or ~/.config on Linux).
func Path() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the config directory for saved views: %w", err)
	}
	return filepath.Join(dir, "auditui", FileName), nil
}

// Example is a views file, for the README and the help.
const Example = `# Saved views for auditui: each [[view]] is a name and a query.
[[view]]
name = "Alice's keys"
query = "type:api_key.* actor:alice@example.com"

[[view]]
name = "Sign-ins from abroad this week"
query = "type:login.* -country:US since:7d"
`

type file struct {
	View []struct {
		Name  string `toml:"name"`
		Query string `toml:"query"`
	} `toml:"view"`
}

// Load reads the views in the file at path, checking that each query
// parses. A missing file is no views and no error. A file that cannot be
// read gives no views; a view without a name or with a bad query is left
// out. Either way the error is one sentence naming the file.
func Load(path string, now time.Time) ([]View, error) {
	data, err := readFile(path, "saved views")
	if err != nil || len(data) == 0 {
		return nil, err
	}
	var f file
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, fmt.Errorf("saved views in %s cannot be read: %s", path, sanitize.OneLine(err.Error()))
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		return nil, fmt.Errorf(`saved views in %s: unknown key %q; each [[view]] has only name and query`, path, extra[0].String())
	}
	var out []View
	var bad []string
	for i, v := range f.View {
		name := strings.TrimSpace(v.Name)
		switch _, err := query.Parse(v.Query, now); {
		case name == "":
			bad = append(bad, fmt.Sprintf("view %d has no name", i+1))
		case strings.TrimSpace(v.Query) == "":
			bad = append(bad, fmt.Sprintf("view %q has no query", name))
		case err != nil:
			bad = append(bad, fmt.Sprintf("view %q: %v", name, err))
		default:
			out = append(out, View{Name: name, Query: v.Query})
		}
	}
	if len(bad) > 0 {
		more := ""
		if len(bad) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(bad)-1)
		}
		return out, fmt.Errorf("saved views in %s: %s%s", path, bad[0], more)
	}
	return out, nil
}

// MaxFileSize is the most of a views file that is read: far more than any
// list of views a person writes, and a bound on what a wrong file costs.
const MaxFileSize = 1 << 20

// readFile reads a config file holding what (saved views, say), refusing
// what is not a regular file (a FIFO would block the start, /dev/zero would
// never end) and what is larger than MaxFileSize. A missing file is empty.
func readFile(path, what string) ([]byte, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", what, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in %s were not read: it is not a regular file", what, path)
	}
	// Non-blocking, in case it was swapped for a FIFO since the Stat.
	fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", what, err)
	}
	defer fh.Close()
	if fi, err := fh.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s in %s were not read: it is not a regular file", what, path)
	}
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", what, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s in %s were not read: the file is larger than 1 MiB", what, path)
	}
	return data, nil
}

// All returns the built-in views followed by those saved at path (see
// Load); the error says what is wrong with the file, and the built-ins are
// there whatever it is.
func All(path string, now time.Time) ([]View, error) {
	saved, err := Load(path, now)
	return append(Builtin(), saved...), err
}

// Find returns the view called name, ignoring case.
func Find(views []View, name string) (View, bool) {
	for _, v := range views {
		if strings.EqualFold(v.Name, strings.TrimSpace(name)) {
			return v, true
		}
	}
	return View{}, false
}
