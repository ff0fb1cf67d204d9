// spawn_memory: n goroutines, each blocked on a receive that never comes;
// the harness reads the peak RSS. Prints how many goroutines are alive.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
)

func main() {
	n := 100000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ready := make(chan bool)
	block := make(chan bool)
	for i := 0; i < n; i++ {
		go func() {
			ready <- true
			<-block
		}()
	}
	for i := 0; i < n; i++ {
		<-ready
	}
	fmt.Println(runtime.NumGoroutine() - 1)
}
