package cmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// sandboxFaults are the fault switches of hi sandbox.
type sandboxFaults struct {
	Latency  time.Duration
	FailRate float64
	Throttle int
	DropRate float64
	Seed     int64
}

func addFaultFlags(flags *pflag.FlagSet, f *sandboxFaults) {
	flags.DurationVar(&f.Latency, "latency", 0, "delay every API response by `duration`")
	flags.Float64Var(&f.FailRate, "fail-rate", 0, "answer this `fraction` (0 to 1) of API requests with 503 Service Unavailable")
	flags.IntVar(&f.Throttle, "throttle", 0, "answer API requests beyond `N` per second with 429 Too Many Requests and Retry-After: 1 (0: off)")
	flags.Float64Var(&f.DropRate, "drop-rate", 0, "close the connection in the middle of the response body for this `fraction` (0 to 1) of API requests")
	flags.Int64Var(&f.Seed, "seed", 1, "seed of the choice of failed and dropped requests, so that a run can be repeated")
}

// describe returns the banner line of the faults that are on, or "" when none is.
func (f sandboxFaults) describe() string {
	var parts []string
	if f.Latency > 0 {
		parts = append(parts, "latency "+f.Latency.String())
	}
	if f.FailRate > 0 {
		parts = append(parts, fmt.Sprintf("fail-rate %g", f.FailRate))
	}
	if f.Throttle > 0 {
		parts = append(parts, fmt.Sprintf("throttle %d/s", f.Throttle))
	}
	if f.DropRate > 0 {
		parts = append(parts, fmt.Sprintf("drop-rate %g", f.DropRate))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" (seed %d)", f.Seed)
}
