package record

import (
	"errors"
	"slices"
	"testing"
	"time"

	"factbot/knowledge"
)

func TestChatRules(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if c := NewChat(5, now); c.Type != "private" || !c.Active || !c.Added.Equal(now) {
		t.Errorf("NewChat(5) = %+v", c)
	}
	g := NewChat(-7, now)
	if g.Type != "group" || !g.Group() {
		t.Errorf("NewChat(-7) = %+v", g)
	}
	if g.Seen("", "") {
		t.Error("seeing an active group again changed it")
	}
	if !g.Seen("supergroup", "Traders") || g.Type != "supergroup" || g.Title != "Traders" {
		t.Errorf("after Seen: %+v", g)
	}
	if !g.SetActive(false, "kicked") || g.Active || g.Reason != "kicked" {
		t.Errorf("after SetActive(false): %+v", g)
	}
	if !g.SetActive(true, "ignored") || g.Reason != "" {
		t.Errorf("an active chat keeps a reason: %+v", g)
	}
	g.SetLang(knowledge.KK)
	g.SetAnnouncements(false)
	super := NewChat(-1007, now)
	super.TakeOver(g)
	if super.Type != "supergroup" || super.Title != "Traders" || super.Lang != knowledge.KK || !super.NoAnnouncements {
		t.Errorf("supergroup after TakeOver = %+v", super)
	}
	if !g.MovedOut(-1007) || g.Active || g.MovedTo != -1007 || g.Reason != "migrated" {
		t.Errorf("group after MovedOut = %+v", g)
	}
	quiet := NewChat(-8, now)
	quiet.SetAnnouncements(false)
	gone := NewChat(-9, now)
	gone.SetActive(false, "left")
	if got := Targets([]Chat{NewChat(3, now), NewChat(-2, now), quiet, gone, super}); !slices.Equal(got, []int64{-2}) {
		t.Errorf("Targets = %v, want [-2] (no private chat, opted out, inactive)", got)
	}
}

func TestAnnouncementStartsOnce(t *testing.T) {
	now := time.Now()
	a := Announcement{State: AnnDraft}
	if err := a.Start(3, now); err != nil || a.State != AnnSending || a.Targets != 3 || !a.Started.Equal(now) {
		t.Fatalf("Start = %v, %+v", err, a)
	}
	if err := a.Start(3, now); !errors.Is(err, ErrNotDraft) {
		t.Errorf("second Start = %v, want ErrNotDraft", err)
	}
}

func TestGapKey(t *testing.T) {
	if a, b := GapKey("Weather in Astana?"), GapKey("weather in  astana"); a != b || a != "weather in astana" {
		t.Errorf("GapKey: %q vs %q", a, b)
	}
	if GapKey(" ?! ") != "" {
		t.Error("punctuation alone is a question")
	}
}
