package cmd

import (
	"testing"

	"github.com/spf13/pflag"
)

func TestSandboxFaultFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{name: "no faults", want: ""},
		{name: "every fault", args: []string{"--latency", "150ms", "--fail-rate", "0.2", "--throttle", "5",
			"--drop-rate", "0.05", "--seed", "9"},
			want: "latency 150ms, fail-rate 0.2, throttle 5/s, drop-rate 0.05 (seed 9)"},
		{name: "default seed", args: []string{"--throttle", "1"}, want: "throttle 1/s (seed 1)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var faults sandboxFaults
			flags := pflag.NewFlagSet("sandbox", pflag.ContinueOnError)
			addFaultFlags(flags, &faults)
			if err := flags.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			if got := faults.describe(); got != tc.want {
				t.Errorf("banner line = %q, want %q", got, tc.want)
			}
		})
	}
}
