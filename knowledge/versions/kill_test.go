package versions

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"factbot/knowledge/internal/memfs"
)

// killFixtures are the small folder with 30 notes beside the facts, and an
// edit of it where every note differs too, so that a version mixing the two
// would show in most of its files.
func killFixtures(t testing.TB) (v1, v2 memfs.FS) {
	v1, v2 = fixtures(t)
	for i := range 30 {
		name := fmt.Sprintf("facts/note-%02d.md", i)
		v1[name] = []byte(strings.Repeat(fmt.Sprintf("version one, note %d\n", i), 200))
		v2[name] = []byte(strings.Repeat(fmt.Sprintf("version two, note %d\n", i), 200))
	}
	return v1, v2
}

// A process killed (SIGKILL) at a random moment while it applies versions
// and rolls back in a loop leaves a store that opens, with a current version
// that is either of the two, whole: every file matches its manifest, and
// the tree is exactly one of the two folders'. Nothing is ever reported
// damaged, the store takes the next write, and the number of versions
// stays bounded.
//
// FACTBOT_KILLS sets the number of kills (default 40).
func TestSurvivesKill(t *testing.T) {
	if os.Getenv("FACTBOT_VERSIONS_FOREVER") != "" {
		applyForever(os.Getenv("FACTBOT_DATA"))
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	kills := 40
	if n, err := strconv.Atoi(os.Getenv("FACTBOT_KILLS")); err == nil && n > 0 {
		kills = n
	}
	v1, v2 := killFixtures(t)
	t1, t2 := mustTree(t, v1), mustTree(t, v2)
	data := t.TempDir()
	rng := rand.New(rand.NewPCG(12, uint64(time.Now().UnixNano())))
	var (
		lastSeq                    int
		asV1, asV2, halfW, halfDel int
		maxDirs                    int
		seqs                       []int
	)
	for i := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSurvivesKill$")
		cmd.Env = append(os.Environ(), "FACTBOT_VERSIONS_FOREVER=1", "FACTBOT_DATA="+data)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child has a version, then kill it within the
		// next few of its writes.
		line, _ := bufio.NewReader(out).ReadString('\n')
		if strings.TrimSpace(line) != "ready" {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("kill %d: child said %q, want ready", i, line)
		}
		time.Sleep(time.Duration(rng.IntN(600_000)) * time.Microsecond)
		cmd.Process.Signal(syscall.SIGKILL)
		err = cmd.Wait()
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) && ee.ExitCode() > 0 {
			t.Fatalf("kill %d: the child failed by itself: %v", i, err)
		}

		// What the kill left, before anything cleans it.
		entries, _ := os.ReadDir(filepath.Join(data, "knowledge"))
		dirs := 0
		for _, e := range entries {
			switch {
			case strings.HasPrefix(e.Name(), tmpPrefix):
				halfW++
			case strings.HasPrefix(e.Name(), trashPrefix):
				halfDel++
			case nameRE.MatchString(e.Name()):
				dirs++
			}
		}
		maxDirs = max(maxDirs, dirs)

		s, err := Open(data, Options{Keep: 3})
		if err != nil {
			t.Fatalf("kill %d: Open = %v", i, err)
		}
		if d := s.Damaged(); len(d) > 0 {
			t.Fatalf("kill %d: damaged versions: %v", i, d)
		}
		cur, ok := s.Current()
		if !ok {
			t.Fatalf("kill %d: no current version", i)
		}
		// Every file against the manifest (Open did it; do it again, from
		// the files themselves) and the whole against the two folders.
		if got := treeOf(t, s, cur); got != cur.Tree {
			t.Fatalf("kill %d: version %s's files hash to %s, its manifest says %s", i, cur.Name(), got, cur.Tree)
		}
		switch cur.Tree {
		case t1:
			asV1++
		case t2:
			asV2++
		default:
			t.Fatalf("kill %d: version %s is neither folder", i, cur.Name())
		}
		if cur.Seq < lastSeq {
			t.Fatalf("kill %d: current version went back from %d to %d", i, lastSeq, cur.Seq)
		}
		lastSeq = cur.Seq
		seqs = append(seqs, cur.Seq)

		// The store takes writes again, and the next write clears what
		// the kill left and prunes.
		next := v1
		if cur.Tree == t1 {
			next = v2
		}
		v, err := s.Apply(context.Background(), next, Change{Who: "2"})
		if err != nil {
			t.Fatalf("kill %d: Apply after the kill = %v", i, err)
		}
		lastSeq = v.Seq
		if n := len(versionDirs(t, s)); n > 4 {
			t.Fatalf("kill %d: %d folders after a write with Keep 3, want at most 4 (the one a rollback needs)", i, n)
		}
	}
	// Between a version's rename and the pruning after it, there may be
	// one more than Keep and the one a rollback needs.
	if maxDirs > 5 {
		t.Errorf("up to %d version folders with Keep 3, want at most 5", maxDirs)
	}
	perKill := ""
	if len(seqs) <= 50 {
		perKill = fmt.Sprintf(" (current at each kill: %v)", seqs)
	}
	t.Logf("%d kills: current was the first folder %d times, the second %d times; versions reached %d%s; "+
		"a half-written version was left %d times, a half-deleted one %d times; at most %d version folders",
		kills, asV1, asV2, lastSeq, perKill, halfW, halfDel, maxDirs)
	if halfW == 0 {
		t.Log("no kill landed while a version was written: the test proved little this time")
	}
}

// applyForever is the child: it seeds the store, says ready, then applies
// the two folders in turn and rolls back every third time, until killed.
func applyForever(data string) {
	v1, v2 := killFixtures(nil)
	ctx := context.Background()
	s, err := Open(data, Options{Keep: 3})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	if _, err := s.Seed(ctx, v1); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(3)
	}
	fmt.Println("ready")
	for i := 0; ; i++ {
		var err error
		switch {
		case i%3 == 2:
			_, err = s.Rollback(ctx, "1")
			if errors.Is(err, ErrNoPrevious) || err != nil && strings.Contains(err.Error(), "no longer kept") {
				err = nil
			}
		case i%2 == 0:
			_, err = s.Apply(ctx, v2, Change{Who: "1"})
		default:
			_, err = s.Apply(ctx, v1, Change{Who: "1"})
		}
		if err != nil && !errors.Is(err, ErrUnchanged) {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(4)
		}
	}
}
