//go:build !linux

package main

import "os/exec"

// runNiced runs cmd and waits for it. Only Linux lowers its priority
// (nice_linux.go).
func runNiced(cmd *exec.Cmd) error { return cmd.Run() }
