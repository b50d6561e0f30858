// Command depsmain does nothing but link the packages that hi is built on: cobra, viper,
// go-keyring and pretty, which the design fixes, and net/http. Their package initialisation
// runs at every start of a program that links them, so scripts/bench shows it beside hi
// version as the start-up cost no command of hi can avoid.
package main

import (
	_ "net/http"

	_ "github.com/spf13/cobra"
	_ "github.com/spf13/viper"
	_ "github.com/tidwall/pretty"
	_ "github.com/zalando/go-keyring"
)

func main() {}
