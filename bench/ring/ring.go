// ring: 503 goroutines in a ring pass a token n times; prints the id
// (1..503) of the goroutine that receives it last.
package main

import (
	"fmt"
	"os"
	"strconv"
)

const workers = 503

func worker(id int, in <-chan int, out chan<- int, done chan<- int) {
	for t := range in {
		if t == 0 {
			done <- id
			return
		}
		out <- t - 1
	}
}

func main() {
	n := 5000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	done := make(chan int)
	first := make(chan int)
	in := first
	for id := 1; id <= workers; id++ {
		out := first
		if id < workers {
			out = make(chan int)
		}
		go worker(id, in, out, done)
		in = out
	}
	first <- n
	fmt.Println(<-done)
}
