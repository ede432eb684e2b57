package views

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auditui/auditui/model"
	"github.com/auditui/auditui/model/query"
)

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func TestBuiltinViewsParseAndSelectWhatTheySay(t *testing.T) {
	want := map[string][]string{
		"Failed sign-ins":                     {"login.failed"},
		"API-key lifecycle":                   {"api_key.created", "api_key.deleted", "tenant.admin_api_key.created", "tenant.project_api_key.created"},
		"Role and permission changes":         {"role.assignment.created", "role.bound_to_resource", "user.updated", "tenant.custom_role.created"},
		"IP allow-list, SSO and SCIM changes": {"ip_allowlist.config.deactivated", "scim.enabled", "tenant.sso_connection.updated"},
		"Organisation settings changes":       {"organization.updated", "certificates.activated", "tenant.policy.attached"},
		"Tenant-scoped events":                {"tenant.user.added", "role.bound_to_resource", "role.unbound_from_resource"},
	}
	views := Builtin()
	if len(views) != len(want) {
		t.Fatalf("%d built-in views, want %d", len(views), len(want))
	}
	for _, v := range views {
		q, err := query.Parse(v.Query, now)
		if err != nil {
			t.Errorf("%s: %v", v.Name, err)
			continue
		}
		if !v.Builtin {
			t.Errorf("%s is not marked built-in", v.Name)
		}
		for _, typ := range want[v.Name] {
			if !q.Match(&model.Event{Type: typ}) {
				t.Errorf("%s does not select %s", v.Name, typ)
			}
		}
		for _, typ := range []string{"login.succeeded", "project.created", "invite.sent"} {
			if q.Match(&model.Event{Type: typ}) {
				t.Errorf("%s selects %s", v.Name, typ)
			}
		}
	}
}

func write(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoad(t *testing.T) {
	views, err := All(write(t, Example), now)
	if err != nil {
		t.Fatal(err)
	}
	n := len(Builtin())
	if len(views) != n+2 || views[n].Name != "Alice's keys" || views[n+1].Query != "type:login.* -country:US since:7d" || views[n].Builtin {
		t.Fatalf("views %+v", views[n:])
	}
	if v, ok := Find(views, " failed SIGN-INS"); !ok || v.Query != "type:login.failed" {
		t.Fatalf("Find: %+v %v", v, ok)
	}
	if _, ok := Find(views, "nope"); ok {
		t.Fatal("found a view that does not exist")
	}

	// No file is no saved views and no complaint.
	views, err = All(filepath.Join(t.TempDir(), "absent", FileName), now)
	if err != nil || len(views) != n {
		t.Fatalf("missing file: %d views, %v", len(views), err)
	}
}

func TestBadFileIsOneLineAndBuiltinsStay(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
		kept             int
	}{
		{"not TOML", "[[view]\nname = \"x\"\n", "cannot be read", 0},
		{"unclosed string", "[[view]]\nname = \"x\nquery = \"type:login.failed\"\n", "cannot be read", 0},
		{"unknown key", "[[view]]\nname = \"x\"\nqeury = \"type:login.failed\"\n", `unknown key "view.qeury"`, 0},
		{"bad query", "[[view]]\nname = \"typo\"\nquery = \"tpye:login.failed\"\n[[view]]\nname = \"good\"\nquery = \"country:DE\"\n", `view "typo": query column 1: unknown key "tpye"`, 1},
		{"no name", "[[view]]\nquery = \"country:DE\"\n[[view]]\nname = \"q\"\n", "view 1 has no name (and 1 more)", 0},
		{"wrong type", "view = 3\n", "cannot be read", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := write(t, c.text)
			views, err := All(path, now)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, c.want) || !strings.Contains(msg, path) {
				t.Fatalf("error %q: want one line naming the file and containing %q", msg, c.want)
			}
			if len(views) != len(Builtin())+c.kept || !views[0].Builtin {
				t.Fatalf("%d views, want the built-ins and %d", len(views), c.kept)
			}
		})
	}
	dir := t.TempDir() // a directory where the file should be
	if _, err := All(dir, now); err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("unreadable file: %v", err)
	}
}

func TestPathIsUnderTheConfigDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	p, err := Path()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p, dir) || !strings.HasSuffix(p, filepath.Join("auditui", FileName)) {
		t.Fatalf("path %s", p)
	}
}
