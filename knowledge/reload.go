package knowledge

import "time"

// ReloadReport says what a load, reload or rollback of the served
// knowledge did. index.Store makes it; the bot shows it to admins.
type ReloadReport struct {
	Hash     string
	Diff     Diff // from the version served before
	Facts    int
	Docs     int
	Passages int
	Built    bool // false when an existing index was reopened, or the version was already served
	Took     time.Duration
	At       time.Time
	// Base is the knowledge now served, with its scheduled announcements
	// as read this time (they are not part of the hash).
	Base *Base
	// CloseErr is the old index's failure to close, which does not undo
	// the reload (its files stay open until exit); the bot logs it.
	CloseErr error
}
