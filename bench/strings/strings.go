// strings: join n words into one string (~10 MB for the default n), split
// it again and count one word.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	n := 1300000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var parts []string
	for i := 0; i < n; i++ {
		parts = append(parts, "word"+strconv.Itoa(i%1000))
	}
	s := strings.Join(parts, " ")
	words := strings.Split(s, " ")
	count := 0
	for _, w := range words {
		if w == "word42" {
			count++
		}
	}
	fmt.Println(len(s), len(words), count)
}
