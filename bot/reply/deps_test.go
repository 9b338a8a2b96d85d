package reply

import (
	"os/exec"
	"strings"
	"testing"
)

// The reply layer is what the console commands link: it must not pull in
// Telegram, the state file or the metrics.
func TestImportsNoTelegramStorageOrMetrics(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "factbot/bot/reply").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, banned := range []string{"telegram-bot-api", "go.etcd.io/bbolt", "github.com/prometheus/"} {
			if strings.Contains(dep, banned) {
				t.Errorf("factbot/bot/reply depends on %s", dep)
			}
		}
	}
}
