package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"
)

// version is stamped at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func runVersion(ctx context.Context, e *env, args []string) error {
	fmt.Fprintf(e.stdout, "factbot %s (%s)\n", version, runtime.Version())
	return nil
}

// runHealthcheck probes /healthz on FACTBOT_HTTP_ADDR and exits non-zero
// unless it answers 200 in time. The container's HEALTHCHECK runs it, so
// the image needs neither a shell nor curl.
func runHealthcheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "healthcheck")
	addr := fs.String("http-addr", e.getenv("FACTBOT_HTTP_ADDR"), "`address` of factbot's HTTP server (env FACTBOT_HTTP_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for an answer")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *addr == "" {
		return fmt.Errorf("%w: no HTTP address: set FACTBOT_HTTP_ADDR or --http-addr", errUsage)
	}
	url := "http://" + probeAddr(*addr) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(e.stdout, "healthy")
	return nil
}

// probeAddr turns a listen address into one to dial: ":8080" and
// "0.0.0.0:8080" become "127.0.0.1:8080".
func probeAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" || strings.Trim(host, "[]") == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
