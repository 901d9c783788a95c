// A function perfaas did not build: a plain Go HTTP server, as a golang-middleware function's
// handler would serve behind of-watchdog. GET /?n=N counts the Collatz steps of 1..N, CPU work in
// a function of its own name, so a flame graph shows whether Go frames resolved.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
)

//go:noinline
func collatzSteps(n int) int {
	steps := 0
	for i := 1; i <= n; i++ {
		for x := i; x != 1; steps++ {
			if x%2 == 0 {
				x /= 2
			} else {
				x = 3*x + 1
			}
		}
	}
	return steps
}

func handle(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n <= 0 || n > 10000000 {
		n = 20000
	}
	fmt.Fprintf(w, "steps %d\n", collatzSteps(n))
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", handle)
	if err := http.ListenAndServe(":"+port, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
