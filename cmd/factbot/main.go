// Command factbot answers questions about Kazakhstan–China economic
// cooperation from a curated, sourced knowledge base.
//
// Usage:
//
//	factbot ask [--json] [--lang xx] [--chart FILE] [--knowledge DIR] [QUESTION]
//	factbot chat [--lang xx] [--knowledge DIR]
//	factbot check [DIR]
//	factbot eval [--knowledge DIR] [-v]
//	factbot serve [flags]
//	factbot knowledge export [--force] DIR
//	factbot knowledge zip [--data-dir D] [--force] [DIR] OUT.zip
//	factbot knowledge versions [--data-dir D] [-n N]
//	factbot knowledge preview [--data-dir D] [--knowledge DIR] [--no-eval] FILE
//	factbot healthcheck [--http-addr ADDR]
//	factbot version
//
// ask prints the answer to QUESTION as a person would read it: the best fact in
// the question's language with its figures, as-of date and sources, and up to
// two related facts. With --json it prints one JSON object
//
//	{"question", "language", "answered", "hits": [{"id", "kind", "text",
//	  "lang", "score", "sources": [{"title", "publisher", "url", "date"}]}]}
//
// and, with no QUESTION, reads one question per line on standard input and
// prints one object per line, in order. --lang forces the reply language.
// A question about a series (how did trade change since 2015?) is answered
// with each counting body's points and the change computed within each; the
// JSON object adds "series": [{"measure", "unit", "by", "points": [{"period",
// "value", "figure"}]}], and --chart FILE writes the series as a PNG chart
// (stderr says so when the answer has no series).
//
// chat is a terminal conversation with the same answerer.
//
// check validates a knowledge folder (the embedded base when DIR is omitted),
// prints every problem as path:line: problem and exits 1 when there is any.
//
// eval runs the base's evaluation questions and prints recall@1, recall@3 and
// MRR per language, the abstention accuracy on out-of-scope questions, and
// how many trend questions got the right series.
//
// serve answers on Telegram. It is configured by FACTBOT_TOKEN,
// FACTBOT_ADMINS, FACTBOT_DATA_DIR, FACTBOT_KNOWLEDGE_DIR, FACTBOT_API_URL,
// FACTBOT_HTTP_ADDR, FACTBOT_WEBHOOK_URL, FACTBOT_WEBHOOK_SECRET,
// FACTBOT_LOG_FORMAT, FACTBOT_LOG_LEVEL, FACTBOT_LIMITS, FACTBOT_RESEED and
// FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR, each also a flag (factbot serve -h lists
// them); a bad value stops it, naming the setting. It serves the newest
// knowledge version in DATA_DIR/knowledge (the first start records the
// embedded base or the knowledge folder as version 1; FACTBOT_RESEED=true
// records it again when the stored versions shadow it), and admins change
// it by sending a file in a private chat: a preview, then Apply.
// It long-polls the Bot API, or serves a webhook when --webhook-url is set,
// on the --http-addr server that also answers /healthz, /readyz and
// /metrics. The index is kept under the data folder and reopened at start.
// SIGHUP, like /reload from an admin, reloads the knowledge folder: invalid
// files are reported as path:line problems and the old knowledge keeps
// serving. A reload's index is built by `factbot build-index` in a child
// process with one core at the lowest CPU priority, so that the searches
// of the version still serving are not slowed. SIGINT and SIGTERM stop it gracefully: replies in flight finish,
// the last handled update is confirmed, and it exits 0.
//
// knowledge export writes the embedded base to DIR as the same files, to curate
// from; it refuses a non-empty DIR unless --force is given.
//
// knowledge zip writes a knowledge folder (DIR, the embedded base, or with
// --data-dir the current version of that data folder) to OUT.zip as an admin
// uploads it to the bot: sorted entries with a fixed time stamp, so the same
// files always make the same zip. knowledge versions lists the knowledge
// versions kept in the data folder (FACTBOT_DATA_DIR), newest first: when, who
// (an admin's id, or "start"), the content hash and what changed.
// knowledge preview checks FILE (a .yaml or .yml file, a .md briefing or a
// .zip of a whole folder) exactly as the bot checks an admin's upload, against
// the knowledge it would serve, and prints the problems as path:line, or what
// it would change and the eval numbers before and after; it exits 1 when the
// upload is refused or has problems.
//
// healthcheck probes http://ADDR/healthz (ADDR from FACTBOT_HTTP_ADDR) and
// exits 1 unless it answers 200; version prints the version stamped at build.
//
// Every subcommand reads the embedded knowledge base unless --knowledge (or
// FACTBOT_KNOWLEDGE_DIR) names a folder.
//
// Exit status: 0 on success, 1 on failure, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what a subcommand runs with: its streams and the process environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"ask", "answer one question, or one per line on stdin", runAsk},
		{"chat", "a conversation in the terminal", runChat},
		{"check", "validate a knowledge folder", runCheck},
		{"eval", "measure answer quality on the eval set", runEval},
		{"serve", "answer on Telegram (long polling or webhook)", runServe},
		{"knowledge", "export, zip, preview an upload, list the versions of the knowledge", runKnowledge},
		{"build-index", "build the index of a knowledge folder into a new folder (what serve's reloads run in a child process)", runBuildIndex},
		{"healthcheck", "probe /healthz of a running factbot (for container health checks)", runHealthcheck},
		{"version", "print the version", runVersion},
	}
}

// errUsage marks a mistake in the command line; Main exits 2 on it.
var errUsage = errors.New("usage")

// errSilent is a failure already explained on stderr.
var errSilent = errors.New("failed")

// Main runs factbot with args (without the program name) and returns the exit
// status. Tests call it directly.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, e, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "factbot %s: %v\n", c.name, err)
			return 2
		case errors.Is(err, errSilent):
			return 1
		default:
			fmt.Fprintf(stderr, "factbot %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "factbot: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: factbot <command> [flags] [args]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'factbot <command> -h' for a command's flags.")
}

// newFlags returns a flag set that reports errors as usage errors.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("factbot "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parse parses args, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
