package openai

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/auditui/auditui/model"
)

// sdkEventTypes reads the event types the SDK knows from its source: the
// constants of type AdminOrganizationAuditLogListResponseType.
func sdkEventTypes(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/openai/openai-go/v3").Output()
	if err != nil {
		t.Fatalf("find the SDK's module directory: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		t.Fatal("go list gave no directory for the SDK (run go mod download)")
	}
	file := filepath.Join(dir, "adminorganizationauditlog.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	var types []string
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			vs := spec.(*ast.ValueSpec)
			id, ok := vs.Type.(*ast.Ident)
			if !ok || id.Name != "AdminOrganizationAuditLogListResponseType" {
				continue
			}
			for _, v := range vs.Values {
				lit, ok := v.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("unexpected constant value %#v", v)
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				types = append(types, s)
			}
		}
	}
	return types
}

func TestCatalogueHasEveryTypeTheSDKKnows(t *testing.T) {
	types := sdkEventTypes(t)
	// v3.98.0 has 149; far fewer means the parse went wrong, not the SDK.
	if len(types) < 140 {
		t.Fatalf("found only %d event types in the SDK source", len(types))
	}
	for _, name := range types {
		if _, ok := model.LookupType(name); !ok {
			t.Errorf("the SDK knows event type %q but model's catalogue does not: add it to model/catalogue_data.go", name)
		}
	}
}
