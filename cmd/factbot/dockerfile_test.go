package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// CI has no Docker engine, so this test checks the Dockerfile's steps the
// way the image would run them: the directives an operator relies on are
// there, and its build command, run here, makes a static binary with the
// version stamped in that validates the embedded base.
func TestDockerfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	for _, want := range []string{
		"AS build", "CGO_ENABLED=0", "-trimpath", "-X main.version=${VERSION}",
		"FROM gcr.io/distroless/static-debian12:nonroot", "USER 65532:65532", "VOLUME /data",
		`HEALTHCHECK`, `"healthcheck"]`, `CMD ["serve"]`, "FACTBOT_HTTP_ADDR=:8080", "FACTBOT_DATA_DIR=/data",
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if n := strings.Count(df, "\nFROM "); n != 2 {
		t.Errorf("Dockerfile has %d stages, want 2 (build and runtime)", n)
	}
	if _, err := os.Stat("../../.dockerignore"); err != nil {
		t.Errorf(".dockerignore: %v", err)
	}

	m := regexp.MustCompile(`RUN (go build [^\\\n]*)`).FindStringSubmatch(df)
	if m == nil {
		t.Fatal("no go build step in the Dockerfile")
	}
	out := filepath.Join(t.TempDir(), "factbot")
	args := strings.Fields(strings.NewReplacer("${VERSION}", "v9.9.9-test", "/out/factbot", out, "./cmd/factbot", ".").Replace(m[1]))
	// The -ldflags value is quoted in the Dockerfile: rejoin it.
	var argv []string
	for i := 0; i < len(args); i++ {
		if strings.HasPrefix(args[i], `"`) {
			j := i
			for !strings.HasSuffix(args[j], `"`) {
				j++
			}
			argv = append(argv, strings.Trim(strings.Join(args[i:j+1], " "), `"`))
			i = j
			continue
		}
		argv = append(argv, args[i])
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", argv, err, b)
	}
	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked (has an ELF interpreter)")
		}
	}
	if b, err := exec.Command(out, "version").Output(); err != nil || !strings.Contains(string(b), "v9.9.9-test") {
		t.Errorf("version of the built binary = %q, %v; want the stamped v9.9.9-test", b, err)
	}
	if b, err := exec.Command(out, "check").CombinedOutput(); err != nil || !strings.Contains(string(b), "ok:") {
		t.Errorf("check with the built binary: %v\n%s", err, b)
	}
}
