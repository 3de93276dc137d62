package care

import (
	"fmt"
	"strings"
)

// Dose says the item's dose in words, such as "hold 20 s, 3 times, each side".
func (it Item) Dose() string {
	var parts []string
	if it.HoldSeconds > 0 {
		parts = append(parts, fmt.Sprintf("hold %d s", it.HoldSeconds))
	}
	if it.Reps > 0 {
		parts = append(parts, fmt.Sprintf("%d times", it.Reps))
	}
	if it.Sets > 1 {
		parts = append(parts, fmt.Sprintf("%d sets", it.Sets))
	}
	if it.Minutes > 0 {
		parts = append(parts, fmt.Sprintf("%d min", it.Minutes))
	}
	switch it.Sides {
	case "each":
		parts = append(parts, "each side")
	case "both":
		parts = append(parts, "both sides together")
	}
	if len(parts) == 0 {
		return "as it feels comfortable"
	}
	return strings.Join(parts, ", ")
}
