package config

import (
	"os"
	"runtime"
)

// LoosePermissions returns the permission bits of the file at path, and whether they let
// users other than the owner read or write it. A config file that others can write could
// point a profile at another host, which would then receive the profile's credential. It
// returns false for a missing file, and on Windows, where the mode bits do not describe
// access.
func LoosePermissions(path string) (os.FileMode, bool) {
	if runtime.GOOS == "windows" {
		return 0, false
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return 0, false
	}
	perm := info.Mode().Perm()
	return perm, perm&0o077 != 0
}

// LooseDirectory reports whether users other than the owner can change the directory at
// path, and so replace the files in it, with its permission bits. It is false on Windows,
// where the bits do not describe access.
func LooseDirectory(path string) (os.FileMode, bool) {
	if runtime.GOOS == "windows" {
		return 0, false
	}
	info, err := os.Stat(path)
	if err != nil || !info.IsDir() {
		return 0, false
	}
	perm := info.Mode().Perm()
	return perm, perm&0o022 != 0
}
