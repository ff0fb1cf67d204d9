// parallel: four goroutines (or the second argument's number) each compute
// fib(n); the harness runs it with one thread (GOMAXPROCS=1) and with all of
// them to get the speedup.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func main() {
	n, workers := 30, 4
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		workers, _ = strconv.Atoi(os.Args[2])
	}
	results := make(chan int)
	for i := 0; i < workers; i++ {
		go func() {
			results <- fib(n)
		}()
	}
	sum := 0
	for i := 0; i < workers; i++ {
		sum += <-results
	}
	fmt.Println(sum)
}
