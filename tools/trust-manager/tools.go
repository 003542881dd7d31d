//go:build tools

// Package tools pins the command this module builds (go build github.com/cert-manager/trust-manager/cmd/trust-manager).
package tools

import _ "github.com/cert-manager/trust-manager/cmd/trust-manager"
