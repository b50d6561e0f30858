package cmd

import (
	"runtime"
	"testing"
)

func TestOneProcessorRestoresDefault(t *testing.T) {
	t.Setenv("GOMAXPROCS", "")
	runtime.SetDefaultGOMAXPROCS()
	before := runtime.GOMAXPROCS(0)
	restore := oneProcessor()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS during the walk = %d, want 1", got)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS after the walk = %d, want %d", got, before)
	}
}

func TestOneProcessorLeavesEnvironmentSetting(t *testing.T) {
	t.Setenv("GOMAXPROCS", "3")
	previous := runtime.GOMAXPROCS(3)
	defer runtime.GOMAXPROCS(previous)
	restore := oneProcessor()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("GOMAXPROCS during the walk = %d, want the environment's 3", got)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("GOMAXPROCS after the walk = %d, want 3", got)
	}
}
