// loop: a counted loop summing i % 7; measures the bare interpreter loop.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	n := 30000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += i % 7
	}
	fmt.Println(sum)
}
