package bot

import (
	"os/exec"
	"strings"
	"testing"
)

// Storage is an adapter: bot declares what it needs (state.go) and only
// bot/boltstore imports bbolt.
func TestOnlyBoltstoreImportsBbolt(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "factbot/bot/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if strings.Contains(imports, "go.etcd.io/bbolt") && pkg != "factbot/bot/boltstore" {
			t.Errorf("%s imports bbolt; only factbot/bot/boltstore may", pkg)
		}
	}
	deps, err := exec.Command("go", "list", "-deps", "factbot/bot").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, deps)
	}
	if strings.Contains(string(deps), "go.etcd.io/bbolt") {
		t.Error("factbot/bot depends on bbolt")
	}
}
