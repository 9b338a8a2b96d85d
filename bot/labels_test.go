package bot

import (
	"testing"

	"factbot/knowledge"
)

// TestAdminRefusalInEveryLanguage: the refusal a user gets for an admin
// command exists in all five languages (the answer's labels and the bot's
// sentences are checked in bot/reply).
func TestAdminRefusalInEveryLanguage(t *testing.T) {
	for _, l := range knowledge.Langs {
		if adminRefusal[l] == "" {
			t.Errorf("no admin refusal in %s", l)
		}
	}
}
