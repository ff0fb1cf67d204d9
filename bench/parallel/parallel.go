// parallel: four goroutines each compute fib(n); the harness runs it with
// one thread (GOMAXPROCS=1) and with all of them to get the speedup.
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
	n := 30
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	results := make(chan int)
	for i := 0; i < 4; i++ {
		go func() {
			results <- fib(n)
		}()
	}
	sum := 0
	for i := 0; i < 4; i++ {
		sum += <-results
	}
	fmt.Println(sum)
}
