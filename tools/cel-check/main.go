// Command cel-check evaluates one CEL authorization expression the way Envoy Gateway v1.9.0 hands it to Envoy,
// against a list of peer-certificate subjects, with cel-go at the version Envoy Gateway v1.9.0 pins (go.mod).
//
// Envoy Gateway parses the expression with cel-go's default environment (internal/xds/translator/authorization.go,
// parseCELToProto: `cel.NewEnv()` then `Parse`, no type check) and ships the parsed AST to Envoy's CEL matcher,
// which evaluates it with Envoy's attribute vocabulary: `connection.subject_peer_certificate` is the peer
// certificate subject as a string. Here the same expression is parsed the same way, then evaluated with
// `connection` bound to a map holding that attribute. Like Envoy Gateway's rule semantics (api/v1alpha1
// authorization_types.go, AuthorizationRule.CEL), only a boolean true is a match; false, non-boolean results and
// evaluation errors are no match.
//
// Input (stdin, JSON): {"expression": "...", "subjects": ["CN=a,O=b", ...]}
// Output (stdout, JSON): {"parsed": true, "results": [{"subject": "...", "match": true, "error": ""}, ...]}
// A parse error exits 2 with {"parsed": false, "error": "..."}.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/google/cel-go/cel"
)

type input struct {
	Expression string   `json:"expression"`
	Subjects   []string `json:"subjects"`
}

type result struct {
	Subject string `json:"subject"`
	Match   bool   `json:"match"`
	Error   string `json:"error,omitempty"`
}

type output struct {
	Parsed  bool     `json:"parsed"`
	Error   string   `json:"error,omitempty"`
	Results []result `json:"results,omitempty"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fail(fmt.Sprintf("reading input: %v", err))
	}
	// Parse exactly as Envoy Gateway does (default environment, parse only).
	parseEnv, err := cel.NewEnv()
	if err != nil {
		fail(err.Error())
	}
	ast, issues := parseEnv.Parse(in.Expression)
	if issues != nil && issues.Err() != nil {
		fail(issues.Err().Error())
	}
	// Evaluate with Envoy's attribute `connection` (a map of connection attributes).
	evalEnv, err := cel.NewEnv(cel.Variable("connection", cel.MapType(cel.StringType, cel.DynType)))
	if err != nil {
		fail(err.Error())
	}
	prg, err := evalEnv.Program(ast)
	if err != nil {
		fail(err.Error())
	}
	out := output{Parsed: true}
	for _, s := range in.Subjects {
		val, _, err := prg.Eval(map[string]any{"connection": map[string]any{"subject_peer_certificate": s, "mtls": true}})
		r := result{Subject: s}
		if err != nil {
			r.Error = err.Error()
		} else if b, ok := val.Value().(bool); ok {
			r.Match = b
		} else {
			r.Error = fmt.Sprintf("non-boolean result %v", val)
		}
		out.Results = append(out.Results, r)
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func fail(msg string) {
	_ = json.NewEncoder(os.Stdout).Encode(output{Parsed: false, Error: msg})
	os.Exit(2)
}
