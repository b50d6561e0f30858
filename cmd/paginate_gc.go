package cmd

import (
	"os"
	"runtime"
	"runtime/debug"
)

// walkGCPercent is the garbage collector's target heap growth during a --paginate walk, in
// percent. Go's default is 100.
const walkGCPercent = 50

// collectSooner sets the garbage collector's target to walkGCPercent and returns the
// function that restores the previous target. A walk keeps only the page in hand alive, so
// at the default target its heap grows to the Go runtime's minimum goal of 4 MB
// (runtime/mgcpacer.go) before the first collection, while a short walk ends below it.
// Collecting sooner keeps the peak memory of a long walk close to that of a short one, for
// a few more collections of a small heap. A GOGC set in the environment is left alone.
func collectSooner() func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	previous := debug.SetGCPercent(walkGCPercent)
	return func() { debug.SetGCPercent(previous) }
}

// oneProcessor runs Go code on one processor at a time for a walk that fetches its pages one
// after the other, and returns the function that restores the previous setting. Such a walk
// does one thing at a time: it waits for a page, then decodes and writes it. With more
// processors, each hand-off between the goroutines of net/http's connection and the walk
// wakes a sleeping thread. With one, the hand-offs stay on one thread. That halves the
// context switches of a walk (docs/benchmarks.md, row 8) and leaves the other cores to the
// server when it runs on the same machine. A GOMAXPROCS set in the environment is left
// alone. Otherwise the setting was the runtime's default, which the returned function
// restores, automatic updates included.
func oneProcessor() func() {
	if os.Getenv("GOMAXPROCS") != "" {
		return func() {}
	}
	runtime.GOMAXPROCS(1)
	return runtime.SetDefaultGOMAXPROCS
}
