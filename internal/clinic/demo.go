package clinic

import (
	_ "embed"
	"fmt"
)

//go:embed demo.json
var demoJSON []byte

// Demo returns the demo clinic: two locations in two time zones, services
// of several massage styles and a consultation in person or online, and
// three therapists with weekly hours. A fresh server loads it so that a new
// user can book at once; importing a real clinic removes it.
func Demo() File {
	f, err := Parse(demoJSON)
	if err != nil {
		// The file is embedded and tested: this is a broken build.
		panic(fmt.Sprintf("clinic: the demo clinic is invalid: %v", err))
	}
	return f
}
