//go:build tools

// Package tools pins the command this module builds (go build github.com/k3s-io/kine).
package tools

import _ "github.com/k3s-io/kine"
