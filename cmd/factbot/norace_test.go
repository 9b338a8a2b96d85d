//go:build !race

package main

// raceBuild reports whether the test binary has the race detector.
const raceBuild = false
