//go:build tools

// Package tools pins the command this module builds and the API package it generates a CRD from.
package tools

import (
	_ "github.com/fluxcd/helm-controller/api/v2"
	_ "sigs.k8s.io/controller-tools/cmd/controller-gen"
)
