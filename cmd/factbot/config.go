package main

import (
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Config is what serve runs with. Every field comes from an environment
// variable and can be overridden by the matching flag.
type Config struct {
	Token         string  // FACTBOT_TOKEN, --token
	Admins        []int64 // FACTBOT_ADMINS, --admins: comma-separated numeric user ids
	DataDir       string  // FACTBOT_DATA_DIR, --data-dir
	KnowledgeDir  string  // FACTBOT_KNOWLEDGE_DIR, --knowledge
	APIURL        string  // FACTBOT_API_URL, --api-url
	HTTPAddr      string  // FACTBOT_HTTP_ADDR, --http-addr: health, metrics and webhook
	WebhookURL    string  // FACTBOT_WEBHOOK_URL, --webhook-url
	WebhookSecret string  // FACTBOT_WEBHOOK_SECRET, --webhook-secret
	LogFormat     string  // FACTBOT_LOG_FORMAT, --log-format: auto, json or console
	LogLevel      string  // FACTBOT_LOG_LEVEL, --log-level: debug, info, warn, error
	Limits        string  // FACTBOT_LIMITS, --limits: telegram, or off for a fake server
	// Knowledge versions (curate.go): true or false.
	Reseed                string // FACTBOT_RESEED, --reseed: serve the knowledge source as a new version
	UploadsToKnowledgeDir string // FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR, --uploads-to-knowledge-dir
}

// setting describes one config value: its variable, its flag, its help.
type setting struct {
	env, flag, def, help string
	field                func(*Config) *string
}

var settings = []setting{
	{"FACTBOT_TOKEN", "token", "", "bot `token` from @BotFather (prefer the variable: flags show in ps)", func(c *Config) *string { return &c.Token }},
	{"FACTBOT_ADMINS", "admins", "", "comma-separated numeric Telegram user `ids` of admins", nil},
	{"FACTBOT_DATA_DIR", "data-dir", "", "`folder` for the bot's state", func(c *Config) *string { return &c.DataDir }},
	{"FACTBOT_KNOWLEDGE_DIR", "knowledge", "", "knowledge `folder` (default: the embedded base)", func(c *Config) *string { return &c.KnowledgeDir }},
	{"FACTBOT_API_URL", "api-url", "https://api.telegram.org", "Bot API base `URL`; requests go to URL/bot<token>/<method>", func(c *Config) *string { return &c.APIURL }},
	{"FACTBOT_HTTP_ADDR", "http-addr", "", "`address` for /healthz, /metrics and the webhook, like :8080", func(c *Config) *string { return &c.HTTPAddr }},
	{"FACTBOT_WEBHOOK_URL", "webhook-url", "", "public HTTPS `URL` Telegram posts updates to (default: long polling)", func(c *Config) *string { return &c.WebhookURL }},
	{"FACTBOT_WEBHOOK_SECRET", "webhook-secret", "", "webhook secret `token` (default: random at each start)", func(c *Config) *string { return &c.WebhookSecret }},
	{"FACTBOT_LOG_FORMAT", "log-format", "auto", "log `format`: auto (console on a terminal, else JSON), json or console", func(c *Config) *string { return &c.LogFormat }},
	{"FACTBOT_LOG_LEVEL", "log-level", "info", "log `level`: debug, info, warn or error", func(c *Config) *string { return &c.LogLevel }},
	{"FACTBOT_LIMITS", "limits", "telegram", "rate `limits`: telegram, or off (only against a fake or test server)", func(c *Config) *string { return &c.Limits }},
	{"FACTBOT_RESEED", "reseed", "false", "`true`: record the embedded base or the knowledge folder as a new version and serve it, though stored versions are newer", func(c *Config) *string { return &c.Reseed }},
	{"FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR", "uploads-to-knowledge-dir", "false", "`true`: uploads and rollbacks also write FACTBOT_KNOWLEDGE_DIR (default: only DATA_DIR/knowledge)", func(c *Config) *string { return &c.UploadsToKnowledgeDir }},
}

// name is how errors name a setting.
func (s setting) name() string { return s.env + " (--" + s.flag + ")" }

func settingFor(env string) setting {
	for _, s := range settings {
		if s.env == env {
			return s
		}
	}
	panic("no setting " + env)
}

// loadConfig reads the environment, then the flags, and validates the
// result. A bad value is an error naming the variable and the flag.
func loadConfig(e *env, args []string) (Config, error) {
	var c Config
	fs := newFlags(e, "serve")
	admins := new(string)
	ptr := func(s setting) *string {
		if s.field == nil {
			return admins
		}
		return s.field(&c)
	}
	for _, s := range settings {
		// The default shown is the built-in one: the environment's value
		// (a token, say) must not appear in -h output.
		fs.StringVar(ptr(s), s.flag, s.def, s.help+" (env "+s.env+")")
	}
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: factbot serve [flags]\n\nAnswers on Telegram, by long polling or, with --webhook-url, by webhook.\nEvery flag defaults to its environment variable.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range settings {
		if v := e.getenv(s.env); v != "" && !set[s.flag] {
			*ptr(s) = v
		}
	}
	ids, err := parseAdmins(*admins)
	if err != nil {
		return c, fmt.Errorf("%s: %v", settingFor("FACTBOT_ADMINS").name(), err)
	}
	c.Admins = ids
	return c, c.Validate()
}

// parseAdmins reads comma-separated numeric user ids.
func parseAdmins(s string) ([]int64, error) {
	var ids []int64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("%q is not a numeric Telegram user id", f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

var (
	tokenRE  = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)
	secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// Validate checks every field and returns an error naming the first bad
// one. It never prints the token.
func (c *Config) Validate() error {
	bad := func(env, format string, args ...any) error {
		return fmt.Errorf("%s: %s", settingFor(env).name(), fmt.Sprintf(format, args...))
	}
	switch {
	case c.Token == "":
		return bad("FACTBOT_TOKEN", "not set; get a token from @BotFather")
	case !tokenRE.MatchString(c.Token):
		return bad("FACTBOT_TOKEN", "not a bot token (digits, a colon, then letters, digits, _ and -)")
	}
	for _, id := range c.Admins {
		if id <= 0 {
			return bad("FACTBOT_ADMINS", "%d is not a Telegram user id", id)
		}
	}
	if c.DataDir != "" {
		if st, err := os.Stat(c.DataDir); err == nil && !st.IsDir() {
			return bad("FACTBOT_DATA_DIR", "%s is not a folder", c.DataDir)
		}
	}
	if c.KnowledgeDir != "" {
		if st, err := os.Stat(c.KnowledgeDir); err != nil || !st.IsDir() {
			return bad("FACTBOT_KNOWLEDGE_DIR", "%s is not a folder", c.KnowledgeDir)
		}
	}
	u, err := url.Parse(c.APIURL)
	switch {
	case err != nil || c.APIURL == "":
		return bad("FACTBOT_API_URL", "%q is not a URL", c.APIURL)
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("FACTBOT_API_URL", "%q must start with https:// (or http:// for a local server)", c.APIURL)
	case u.Host == "":
		return bad("FACTBOT_API_URL", "%q has no host", c.APIURL)
	case u.RawQuery != "" || u.Fragment != "":
		return bad("FACTBOT_API_URL", "%q must not have a query or fragment", c.APIURL)
	case strings.Contains(u.Path, "/bot"):
		return bad("FACTBOT_API_URL", "%q must be the base URL, without /bot<token>", c.APIURL)
	}
	if c.HTTPAddr != "" {
		_, port, err := net.SplitHostPort(c.HTTPAddr)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
			return bad("FACTBOT_HTTP_ADDR", "%q is not host:port, like :8080", c.HTTPAddr)
		}
	}
	if c.WebhookURL != "" {
		w, err := url.Parse(c.WebhookURL)
		switch {
		case err != nil || w.Host == "":
			return bad("FACTBOT_WEBHOOK_URL", "%q is not a URL", c.WebhookURL)
		case w.Scheme != "https" && !(w.Scheme == "http" && isLoopback(w.Hostname())):
			return bad("FACTBOT_WEBHOOK_URL", "%q must be https:// (Telegram posts only to HTTPS)", c.WebhookURL)
		case c.HTTPAddr == "":
			return bad("FACTBOT_HTTP_ADDR", "must be set with a webhook: it is where the webhook listens")
		}
	}
	if c.WebhookSecret != "" {
		switch {
		case c.WebhookURL == "":
			return bad("FACTBOT_WEBHOOK_SECRET", "set without FACTBOT_WEBHOOK_URL (--webhook-url)")
		case !secretRE.MatchString(c.WebhookSecret):
			return bad("FACTBOT_WEBHOOK_SECRET", "must be 1-256 letters, digits, _ or -")
		}
	}
	switch c.LogFormat {
	case "auto", "json", "console":
	default:
		return bad("FACTBOT_LOG_FORMAT", "%q: want auto, json or console", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return bad("FACTBOT_LOG_LEVEL", "%q: want debug, info, warn or error", c.LogLevel)
	}
	switch c.Limits {
	case "telegram", "off":
	default:
		return bad("FACTBOT_LIMITS", "%q: want telegram or off", c.Limits)
	}
	for _, s := range []struct{ env, v string }{{"FACTBOT_RESEED", c.Reseed}, {"FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR", c.UploadsToKnowledgeDir}} {
		if _, err := parseFlag(s.v); err != nil {
			return bad(s.env, "%q: want true or false", s.v)
		}
	}
	if on, _ := parseFlag(c.UploadsToKnowledgeDir); on && c.KnowledgeDir == "" {
		return bad("FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR", "set without FACTBOT_KNOWLEDGE_DIR (--knowledge): there is no folder to write")
	}
	return nil
}

// versionOptions are the knowledge versions' settings.
func (c *Config) versionOptions() versionOptions {
	reseed, _ := parseFlag(c.Reseed)
	toDir, _ := parseFlag(c.UploadsToKnowledgeDir)
	return versionOptions{reseed: reseed, toDir: toDir}
}

// parseFlag reads a true/false setting; empty is false.
func parseFlag(s string) (bool, error) {
	if s == "" {
		return false, nil
	}
	return strconv.ParseBool(s)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newSecret returns a random webhook secret.
func newSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
