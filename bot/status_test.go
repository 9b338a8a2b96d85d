package bot

import (
	"path/filepath"
	"strings"
	"testing"

	"factbot/knowledge"
)

func TestStatusAndGaps(t *testing.T) {
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	rl := &fakeReloader{rep: knowledge.ReloadReport{Hash: "0123456789abcdef", Facts: 3}}
	h := start(t, withStore(st), withAdmin(rl), func(c *Config) { c.Version = "v1.2.3" })
	srv := h.srv
	srv.GroupText(group, alice, "hello")
	srv.GroupText(group-1, alice, "hello")
	h.ask(alice, "What is the weather in Paris tomorrow?")
	h.ask(boris, "what is the WEATHER in Paris, tomorrow")
	h.ask(chen, "Who won the football cup?")
	ans := h.ask(alice, "What was China Kazakhstan trade in 2023?")
	srv.Callback(boris, ans.Message(), ans.Buttons()[3]) // 👎
	srv.Wait(t, "the vote", func() bool { fb, _ := st.Feedback(); return len(fb) == 1 })
	st.SetActive(group-1, false, "kicked")
	h.ask(admin, "/reload")

	got := h.ask(admin, "/status").PlainText()
	for _, want := range []string{"factbot v1.2.3, up ", "Knowledge: version ", "facts", "Last reload: reload at ", "ok in",
		"Groups: 1 active (0 opted out of announcements), 1 inactive", "Announcements: 0 being sent, 0 deliveries pending, 0 scheduled",
		"Since start: 4 questions, 1 answered, 3 not answered"} {
		if !strings.Contains(got, want) {
			t.Errorf("/status lacks %q:\n%s", want, got)
		}
	}
	got = h.ask(admin, "/gaps").PlainText()
	for _, want := range []string{"Questions with no answer: 3 asked, 2 distinct", "2× [en] ", "1× [en] Who won the football cup?",
		"Answers marked unhelpful: 1 (and 0 👍)", "1× trade-2023 ← [en] What was China Kazakhstan trade in 2023?"} {
		if !strings.Contains(got, want) {
			t.Errorf("/gaps lacks %q:\n%s", want, got)
		}
	}
	for _, id := range []string{"501", "502", "503"} {
		if strings.Contains(got, id) {
			t.Errorf("/gaps shows a user id %s:\n%s", id, got)
		}
	}
}
