// Command coraza-host runs Coraza the way Tetrate's Built On Envoy "coraza-waf" filter (composer dynamic module)
// feeds it, without Envoy: it reads the filter config (the JSON EnvoyExtensionPolicy dynamicModule.config carries,
// {"mode": "FULL"|"REQUEST_ONLY", "directives": [...]}) from the file named by -config, then one request per line
// of stdin, and writes one result line per request on stdout.
//
// Our own code: it follows built-on-envoy extensions/composer/waf/waf.go (commit b911ffa) step by step, cited by
// line, but copies none of it. Build it with the module's Coraza build tags (extensions/composer/Makefile.common
// line 9: coraza.rule.case_sensitive_args_keys, coraza.rule.no_regex_multiline, coraza.rule.mandatory_rule_id_check),
// as scripts/test-deps/20-go-tools.sh does. Envoy's part (codec, path normalization, routing) is modelled by the caller
// (test/coraza/envoy-model.ts): a request line here is what reaches the filter.
//
// Modes:
//
//	coraza-host -config filter.json            request lines in, result lines out
//	coraza-host -compile-regex                 one JSON string (a pattern) per line in, {"ok":bool,"error":...} out:
//	                                           whether Coraza's @rx accepts it (a one-rule WAF is built)
//	coraza-host -match-regex                   {"pattern":..., "samples":[...]} per line in, {"ok", "error", "matches":[bool...]}
//	                                           out: Coraza's @rx result on each sample (samples are Latin-1 byte strings)
//	coraza-host -bench N -config filter.json   runs every request line N times, prints {"requests", "cpuNs", "wallNs"}
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	coreruleset "github.com/corazawaf/coraza-coreruleset/v4"
	"github.com/corazawaf/coraza/v3"
	"github.com/corazawaf/coraza/v3/types"
	"github.com/jcchavezs/mergefs"
	mergefsio "github.com/jcchavezs/mergefs/io"
)

// filterConfig is the module's config shape (built-on-envoy waf/coraza/config.go lines 42-47).
type filterConfig struct {
	Mode       string   `json:"mode"`
	Directives []string `json:"directives"`
}

// request is what reaches the filter after Envoy's codec and HTTP connection manager.
type request struct {
	ID        string      `json:"id"`
	Method    string      `json:"method"`
	Path      string      `json:"path"`
	Authority string      `json:"authority"`
	Scheme    string      `json:"scheme"`
	Protocol  string      `json:"protocol"`
	Headers   [][2]string `json:"headers"`
	Body      string      `json:"body"` // base64
	SourceIP  string      `json:"sourceIp"`
	Response  *response   `json:"response"`
}

type response struct {
	Status  int         `json:"status"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body"` // base64
}

type result struct {
	ID          string `json:"id"`
	Status      int    `json:"status"`
	Interrupted bool   `json:"interrupted"`
	RuleIDs     []int  `json:"ruleIds"`
	Phase       int    `json:"phase"`
	BlockRule   int    `json:"blockRule"`
	Error       string `json:"error,omitempty"`
}

func main() {
	configPath := flag.String("config", "", "filter config JSON file")
	compileRegex := flag.Bool("compile-regex", false, "check patterns with Coraza's @rx")
	matchRegex := flag.Bool("match-regex", false, "match samples with Coraza's @rx")
	bench := flag.Int("bench", 0, "run every request this many times and print CPU time")
	cpuProfile := flag.String("cpuprofile", "", "with -bench: write a Go CPU profile to this file")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fatal(err)
		}
		defer pprof.StopCPUProfile()
	}

	out, err := protocolOutput()
	if err != nil {
		fatal(err)
	}
	w := bufio.NewWriter(out)
	defer w.Flush()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)

	switch {
	case *compileRegex:
		for in.Scan() {
			var pattern string
			if err := json.Unmarshal(in.Bytes(), &pattern); err != nil {
				fatal(err)
			}
			_, err := regexWAF(pattern)
			writeJSON(w, map[string]any{"ok": err == nil, "error": errString(err)})
			w.Flush()
		}
	case *matchRegex:
		for in.Scan() {
			var q struct {
				Pattern string   `json:"pattern"`
				Samples []string `json:"samples"`
			}
			if err := json.Unmarshal(in.Bytes(), &q); err != nil {
				fatal(err)
			}
			writeJSON(w, matchSamples(q.Pattern, q.Samples))
		}
	default:
		waf, mode, err := loadConfig(*configPath)
		if err != nil {
			writeJSON(w, map[string]any{"loaded": false, "error": err.Error()})
			return
		}
		writeJSON(w, map[string]any{"loaded": true, "mode": mode})
		w.Flush()
		var reqs []request
		for in.Scan() {
			var r request
			if err := json.Unmarshal(in.Bytes(), &r); err != nil {
				fatal(err)
			}
			if *bench == 0 {
				writeJSON(w, run(waf, mode, r))
				w.Flush()
				continue
			}
			reqs = append(reqs, r)
		}
		if *bench > 0 {
			writeJSON(w, runBench(waf, mode, reqs, *bench))
		}
	}
	if err := in.Err(); err != nil {
		fatal(err)
	}
}

// protocolOutput keeps the result lines apart from what the directives write to /dev/stdout (SecAuditLog): the
// protocol moves to a duplicate of fd 1, and fd 1 then points at stderr, so the audit log goes to stderr.
func protocolOutput() (*os.File, error) {
	fd, err := syscall.Dup(1)
	if err != nil {
		return nil, err
	}
	if err := syscall.Dup3(2, 1, 0); err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), "protocol"), nil
}

// loadConfig parses the filter config as the module does (config.go NewWAFConfigFromBytes: directives joined with
// "\n", mode "" = REQUEST_ONLY) and builds the WAF with the module's root FS minus its embedded directives: the
// coraza-coreruleset FS, then the local file system (directives_fs.go lines 25-40).
func loadConfig(path string) (coraza.WAF, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	var c filterConfig
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, "", fmt.Errorf("failed to unmarshal config: %w", err)
	}
	mode := c.Mode
	switch mode {
	case "":
		mode = "REQUEST_ONLY"
	case "FULL", "REQUEST_ONLY":
	default:
		return nil, "", fmt.Errorf("invalid mode: %s", mode)
	}
	conf := coraza.NewWAFConfig().
		WithRootFS(mergefs.Merge(coreruleset.FS, mergefsio.OSFS)).
		WithDirectives(strings.Join(c.Directives, "\n"))
	waf, err := coraza.NewWAF(conf)
	return waf, mode, err
}

// run processes one request through the phases in the module's order; ruleIds are the matched rules that carry a
// message (the ones an audit record lists), in match order.
func run(waf coraza.WAF, mode string, r request) result {
	// waf.go initializeTransaction (lines 167-174): the transaction id is the x-request-id header.
	tx := waf.NewTransactionWithID(headerValue(r.Headers, "x-request-id"))
	res := phases(tx, mode, r)
	// waf.go OnStreamComplete (lines 448-467): phase 5 and the audit log, then Close.
	tx.ProcessLogging()
	res.RuleIDs = []int{}
	for _, m := range tx.MatchedRules() {
		if m.Message() != "" {
			res.RuleIDs = append(res.RuleIDs, m.Rule().ID())
		}
	}
	_ = tx.Close()
	return res
}

func phases(tx types.Transaction, mode string, r request) result {
	res := result{ID: r.ID, Status: 200}
	if tx.IsRuleEngineOff() {
		return res
	}
	block := func(it *types.Interruption, phase types.RulePhase) result {
		// waf.go blockRequest (lines 662-686): the interruption's status, 403 when it has none.
		res.Interrupted = true
		res.Phase = int(phase)
		res.Status = it.Status
		if res.Status == 0 {
			res.Status = 403
		}
		res.BlockRule = it.RuleID
		return res
	}
	// waf.go OnRequestHeaders (lines 188-243).
	scheme := r.Scheme
	if scheme == "" {
		scheme = "http"
	}
	protocol := r.Protocol
	if protocol == "" {
		protocol = "HTTP/1.1" // waf.go getRequestProtocol, line 158
	}
	uri := scheme + "://" + r.Authority + r.Path // line 216
	tx.AddRequestHeader("Host", r.Authority)    // line 219
	tx.SetServerName(r.Authority)               // line 220
	// lines 221-224: every header Envoy holds, pseudo-headers included (Envoy's HeaderMap lists them first).
	pseudo := [][2]string{{":authority", r.Authority}, {":path", r.Path}, {":method", r.Method}, {":scheme", scheme}}
	for _, h := range append(pseudo, r.Headers...) {
		tx.AddRequestHeader(h[0], h[1])
	}
	srcIP := r.SourceIP
	if srcIP == "" {
		srcIP = "127.0.0.1"
	}
	tx.ProcessConnection(srcIP, 40000, "127.0.0.1", 80) // line 226 (destination placeholders, line 208)
	tx.ProcessURI(uri, r.Method, protocol)               // line 227
	if it := tx.ProcessRequestHeaders(); it != nil {     // line 228
		return block(it, types.PhaseRequestHeaders)
	}
	// OnRequestBody (lines 245-296) / writeRequestBody (lines 512-548) / handleRequestBody (lines 591-605).
	body, err := base64.StdEncoding.DecodeString(r.Body)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	if len(body) > 0 && tx.IsRequestBodyAccessible() {
		it, _, err := tx.WriteRequestBody(body)
		if err != nil {
			res.Status, res.Error = 500, err.Error()
			return res
		}
		if it != nil {
			return block(it, types.PhaseRequestBody)
		}
	}
	it, err := tx.ProcessRequestBody()
	if err != nil {
		res.Status, res.Error = 500, err.Error()
		return res
	}
	if it != nil {
		return block(it, types.PhaseRequestBody)
	}
	if mode == "REQUEST_ONLY" || r.Response == nil {
		return res
	}
	// OnResponseHeaders (lines 318-372), OnResponseBody (lines 374-425).
	for _, h := range r.Response.Headers {
		tx.AddResponseHeader(h[0], h[1])
	}
	if it := tx.ProcessResponseHeaders(r.Response.Status, protocol); it != nil {
		return block(it, types.PhaseResponseHeaders)
	}
	rbody, err := base64.StdEncoding.DecodeString(r.Response.Body)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	if len(rbody) > 0 && tx.IsResponseBodyAccessible() && tx.IsResponseBodyProcessable() {
		it, _, err := tx.WriteResponseBody(rbody)
		if err != nil {
			res.Status, res.Error = 500, err.Error()
			return res
		}
		if it != nil {
			return block(it, types.PhaseResponseBody)
		}
	}
	it, err = tx.ProcessResponseBody()
	if err != nil {
		res.Status, res.Error = 500, err.Error()
		return res
	}
	if it != nil {
		return block(it, types.PhaseResponseBody)
	}
	res.Status = r.Response.Status
	return res
}

func runBench(waf coraza.WAF, mode string, reqs []request, n int) map[string]any {
	start, wall := cpuNow(), time.Now()
	for i := 0; i < n; i++ {
		for _, r := range reqs {
			run(waf, mode, r)
		}
	}
	return map[string]any{"requests": n * len(reqs), "cpuNs": cpuNow() - start, "wallNs": time.Since(wall).Nanoseconds()}
}

// cpuNow is this process's user+system CPU time in nanoseconds.
func cpuNow() int64 {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return u.Utime.Nano() + u.Stime.Nano()
}

// regexWAF builds a WAF holding one rule with the pattern, so the pattern is compiled exactly as @rx does.
func regexWAF(pattern string) (coraza.WAF, error) {
	if strings.ContainsAny(pattern, "\"\n") {
		return nil, errors.New("pattern contains a double quote or a line break")
	}
	return coraza.NewWAF(coraza.NewWAFConfig().WithDirectives(
		`SecRuleEngine On` + "\n" +
			`SecRule REQUEST_HEADERS:x-sample "@rx ` + pattern + `" "id:1,phase:1,deny,status:403,t:none"`))
}

// matchSamples runs the rule on each sample (a JavaScript string whose characters are bytes, sent as JSON).
func matchSamples(pattern string, samples []string) map[string]any {
	waf, err := regexWAF(pattern)
	if err != nil {
		return map[string]any{"ok": false, "error": err.Error(), "matches": []bool{}}
	}
	matches := make([]bool, len(samples))
	for i, s := range samples {
		b := make([]byte, 0, len(s))
		for _, c := range s {
			if c > 0xff {
				return map[string]any{"ok": false, "error": "sample holds a character above 0xFF", "matches": []bool{}}
			}
			b = append(b, byte(c))
		}
		tx := waf.NewTransaction()
		tx.AddRequestHeader("x-sample", string(b))
		tx.ProcessConnection("127.0.0.1", 1, "127.0.0.1", 80)
		tx.ProcessURI("/", "GET", "HTTP/1.1")
		matches[i] = tx.ProcessRequestHeaders() != nil
		_ = tx.Close()
	}
	return map[string]any{"ok": true, "error": "", "matches": matches}
}

func headerValue(headers [][2]string, name string) string {
	for _, h := range headers {
		if strings.EqualFold(h[0], name) {
			return h[1]
		}
	}
	return ""
}

func writeJSON(w io.Writer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fatal(err)
	}
	_, _ = w.Write(append(b, '\n'))
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "coraza-host:", err)
	os.Exit(1)
}
