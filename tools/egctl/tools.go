//go:build tools

// Package tools pins the command this module builds (go build github.com/envoyproxy/gateway/cmd/egctl): Envoy
// Gateway's CLI, whose `experimental translate` runs Envoy Gateway's own translator offline (test/envoy-gateway).
package tools

import _ "github.com/envoyproxy/gateway/cmd/egctl"
