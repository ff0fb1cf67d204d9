// maps: n int keys inserted then summed; n/5 string keys counted twice.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	m := make(map[int]int)
	for i := 0; i < n; i++ {
		m[i] = i
	}
	sum := 0
	for _, v := range m {
		sum += v
	}

	counts := make(map[string]int)
	for pass := 0; pass < 2; pass++ {
		for i := 0; i < n/5; i++ {
			counts["k"+strconv.Itoa(i)]++
		}
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	fmt.Println(sum, len(counts), total)
}
