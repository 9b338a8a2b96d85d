package knowledge

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const goodAnnouncements = `announcements:
  - id: forum-2025-05
    text: |
      The Kazakhstan–China business forum opens on 12 May in Astana.
    target: all
    publish_at: "2025-05-01T09:00:00+05:00"
  - id: two-groups
    text: Only for two groups.
    target: [-1001234567890, -42]
    publish_at: 2025-05-02T00:00:00Z
`

func TestLoadAnnouncements(t *testing.T) {
	b := mustLoad(t, files{"facts/a.yaml": goodFact, "announcements/2025.yaml": goodAnnouncements})
	if len(b.Announcements) != 2 {
		t.Fatalf("Announcements = %+v", b.Announcements)
	}
	a := b.Announcements[0]
	want := time.Date(2025, 5, 1, 4, 0, 0, 0, time.UTC)
	if a.ID != "forum-2025-05" || !a.All || !a.PublishAt.Equal(want) || !strings.HasPrefix(a.Text, "The Kazakhstan–China business forum") ||
		a.Pos != (Pos{"announcements/2025.yaml", 2}) {
		t.Errorf("first announcement = %+v", a)
	}
	if g := b.Announcements[1].Groups; len(g) != 2 || g[0] != -1001234567890 || g[1] != -42 || b.Announcements[1].All {
		t.Errorf("second announcement's groups = %v", g)
	}
	// Announcements are not indexed, so they do not change the hash.
	plain := mustLoad(t, files{"facts/a.yaml": goodFact})
	if plain.Hash() != b.Hash() {
		t.Error("announcements changed the content hash")
	}
}

func TestLoadAnnouncementProblems(t *testing.T) {
	long := strings.Repeat("я", MaxAnnouncementLen+1)
	for _, tc := range []struct {
		name, file, want string
	}{
		{"no id", "announcements:\n  - text: hi\n    target: all\n    publish_at: 2025-05-01T09:00:00Z\n",
			"announcements/a.yaml:2: announcement has no id"},
		{"bad id", "announcements:\n  - id: Forum 2025\n    text: hi\n    target: all\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:2: announcement id "Forum 2025" must be lower-case letters, digits and dashes`},
		{"no text", "announcements:\n  - id: x1\n    target: all\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:2: announcement "x1" has no text`},
		{"too long", "announcements:\n  - id: x1\n    text: " + long + "\n    target: all\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:3: announcement "x1" is 4097 characters long; at most 4096 fit in one message`},
		{"no target", "announcements:\n  - id: x1\n    text: hi\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:2: announcement "x1" has no target (all, or a list of group ids)`},
		{"bad target", "announcements:\n  - id: x1\n    text: hi\n    target: everyone\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:4: announcement "x1": target "everyone" must be all or a list of group ids`},
		{"positive group", "announcements:\n  - id: x1\n    text: hi\n    target:\n      - -100\n      - 12345\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:6: announcement "x1": target "12345" is not a group id (groups have negative ids, like -1001234567890)`},
		{"empty target", "announcements:\n  - id: x1\n    text: hi\n    target: []\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:4: announcement "x1" has an empty target list`},
		{"no time", "announcements:\n  - id: x1\n    text: hi\n    target: all\n",
			`announcements/a.yaml:2: announcement "x1" has no publish_at time`},
		{"bad time", "announcements:\n  - id: x1\n    text: hi\n    target: all\n    publish_at: 2025-05-01 09:00\n",
			`announcements/a.yaml:5: announcement "x1": publish_at "2025-05-01 09:00" is not a time like 2025-05-01T09:00:00+05:00 (RFC 3339, with its offset)`},
		{"unknown field", "announcements:\n  - id: x1\n    text: hi\n    target: all\n    publish_at: 2025-05-01T09:00:00Z\n    when: soon\n",
			`announcements/a.yaml:6: unknown field "when" in announcement`},
		{"duplicate", "announcements:\n  - id: x1\n    text: hi\n    target: all\n    publish_at: 2025-05-01T09:00:00Z\n  - id: x1\n    text: hi\n    target: all\n    publish_at: 2025-05-01T09:00:00Z\n",
			`announcements/a.yaml:6: duplicate announcement id "x1" (first at announcements/a.yaml:2)`},
		{"bad yaml", "announcements:\n  - id: x1\n   text: [\n",
			`announcements/a.yaml:1: invalid YAML: did not find expected`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(mapFS(files{"facts/a.yaml": goodFact, "announcements/a.yaml": tc.file}))
			var probs Problems
			if !errors.As(err, &probs) {
				t.Fatalf("Load = %v, want Problems", err)
			}
			if len(probs) != 1 || !strings.HasPrefix(probs[0].String(), tc.want) {
				t.Errorf("Load problems:\n%v\nwant one starting %q", err, tc.want)
			}
		})
	}
}
