package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// servingGCPercent is the collector's GOGC while serving. An answer
// allocates about 70 KB and the live heap of the curated base is small, so
// with Go's default of 100 a collection runs every few hundred answers, and
// its assists are the answer path's slowest percent: p99 1.2–1.4 ms at 100
// against 0.74–0.77 ms at 400 (BenchmarkAnswerCurated on a quiet machine,
// medians 0.20–0.27 ms).
const servingGCPercent = 400

// cgroupMemoryFiles hold the container's memory limit: cgroup v2, then v1.
var cgroupMemoryFiles = []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}

// tuneGC sets the collector for serving unless the operator set GOGC or
// GOMEMLIMIT: GOGC=400, and, inside a container with a memory limit, a
// soft limit of three quarters of it, so that the larger heap target never
// takes the process past the container's limit (the collector runs more
// often as the heap nears it). It returns what it set (0 for each left
// alone).
func tuneGC() (gcPercent int, memLimit int64) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(servingGCPercent)
		gcPercent = servingGCPercent
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		if limit, ok := containerMemory(cgroupMemoryFiles); ok {
			memLimit = limit / 4 * 3
			debug.SetMemoryLimit(memLimit)
		}
	}
	return gcPercent, memLimit
}

// containerMemory reads the first of files that holds a memory limit in
// bytes; "max", a missing file and v1's "no limit" (a number near 2^63)
// are no limit.
func containerMemory(files []string) (int64, bool) {
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		s := strings.TrimSpace(string(data))
		if s == "max" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 || n >= 1<<62 {
			return 0, false
		}
		return n, true
	}
	return 0, false
}
