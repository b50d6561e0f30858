package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDefaultPath(t *testing.T) {
	home := t.TempDir()
	xdg := filepath.Join(home, "xdg")
	cases := []struct {
		name    string
		xdg     string
		want    string
		wantErr bool
	}{
		{name: "XDG_CONFIG_HOME set", xdg: xdg, want: filepath.Join(xdg, "hi", "config.yaml")},
		{name: "XDG_CONFIG_HOME relative", xdg: "relative/dir", wantErr: true},
		{name: "XDG_CONFIG_HOME empty", xdg: "", want: "user config dir"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", tc.xdg)
			got, err := DefaultPath()
			if tc.wantErr {
				if err == nil {
					t.Errorf("DefaultPath() = %q, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want == "user config dir" {
				dir, err := os.UserConfigDir()
				if err != nil {
					t.Fatal(err)
				}
				want = filepath.Join(dir, "hi", "config.yaml")
			}
			if got != want {
				t.Errorf("DefaultPath() = %q, want %q", got, want)
			}
		})
	}
}
