// loadgen drives POST /mutate over HTTPS for bench/webhook, the way the API server calls a
// webhook: Go's net/http client, HTTP/1.1 with keep-alive connections, TLS verified against the
// bench's CA. Go's collector pauses far less than a Node client's, so the latency it reports is
// the server's plus the network, not the load generator's own hiccups.
//
//	loadgen -url URL -ca FILE -body FILE -mode closed -connections 10 -duration 10s
//	    as many requests as N connections can make, one at a time each: {"requests","rps","errors"}
//	loadgen -url URL -ca FILE -body FILE -mode open -rate 200 -duration 10s
//	    requests leave at a fixed rate whether or not earlier ones were answered (open loop);
//	    each is timed from just before it is sent to the last byte of its answer:
//	    {"count","errors","p50Ms","p99Ms","p999Ms","maxMs"}
package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "", "the /mutate URL")
	caFile := flag.String("ca", "", "PEM file of the CA that signed the server certificate")
	bodyFile := flag.String("body", "", "the AdmissionReview to send")
	mode := flag.String("mode", "closed", "closed (throughput) or open (latency at a fixed rate)")
	connections := flag.Int("connections", 10, "closed loop: concurrent connections")
	rate := flag.Int("rate", 200, "open loop: requests per second")
	duration := flag.Duration("duration", 10*time.Second, "how long to send")
	warmup := flag.Int("warmup", 200, "open loop: requests sent first and not measured")
	flag.Parse()

	body, err := os.ReadFile(*bodyFile)
	check(err)
	caPEM, err := os.ReadFile(*caFile)
	check(err)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		check(fmt.Errorf("no certificate in %s", *caFile))
	}
	transport := &http.Transport{
		TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
		// HTTP/1.1, as the webhook serves it.
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	var firstError sync.Once
	send := func() (time.Duration, error) {
		started := time.Now()
		resp, err := client.Post(*url, "application/json", bytes.NewReader(body))
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err == nil && resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("HTTP %d", resp.StatusCode)
			}
		}
		if err != nil {
			firstError.Do(func() { fmt.Fprintln(os.Stderr, "loadgen: first failed request:", err) })
		}
		return time.Since(started), err
	}

	switch *mode {
	case "closed":
		closedLoop(send, *connections, *duration)
	case "open":
		openLoop(send, *rate, *duration, *warmup)
	default:
		check(fmt.Errorf("unknown mode %q", *mode))
	}
}

func closedLoop(send func() (time.Duration, error), connections int, duration time.Duration) {
	var requests, errors atomic.Int64
	deadline := time.Now().Add(duration)
	started := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < connections; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := send(); err != nil {
					errors.Add(1)
				} else {
					requests.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	seconds := time.Since(started).Seconds()
	emit(map[string]any{"requests": requests.Load(), "rps": float64(requests.Load()) / seconds, "errors": errors.Load()})
}

func openLoop(send func() (time.Duration, error), rate int, duration time.Duration, warmup int) {
	for i := 0; i < warmup; i += 8 {
		var wg sync.WaitGroup
		for j := 0; j < 8; j++ {
			wg.Add(1)
			go func() { defer wg.Done(); _, _ = send() }()
		}
		wg.Wait()
	}
	interval := time.Second / time.Duration(rate)
	total := int(duration / interval)
	latencies := make([]time.Duration, 0, total)
	var mu sync.Mutex
	var errors int
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < total; i++ {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			latency, err := send()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errors++
			} else {
				latencies = append(latencies, latency)
			}
		}()
	}
	wg.Wait()
	sort.Slice(latencies, func(a, b int) bool { return latencies[a] < latencies[b] })
	at := func(q float64) float64 {
		if len(latencies) == 0 {
			return -1
		}
		i := int(q*float64(len(latencies))+0.999999) - 1
		if i < 0 {
			i = 0
		}
		if i >= len(latencies) {
			i = len(latencies) - 1
		}
		return float64(latencies[i]) / float64(time.Millisecond)
	}
	emit(map[string]any{"count": len(latencies), "errors": errors, "p50Ms": at(0.5), "p99Ms": at(0.99), "p999Ms": at(0.999), "maxMs": at(1)})
}

func emit(result map[string]any) {
	check(json.NewEncoder(os.Stdout).Encode(result))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
}
