#!/usr/bin/env python3
"""Latency of cached requests: one client, sequential, one persistent connection.

Usage: python3 src/bench/cached_latency.py [--url http://127.0.0.1:8080] [--model all-minilm-l6-v2]
                                           [--requests 2000] [--inputs 1]
Start the gateway first (README), with the cache backend to measure (memory by default). The first request
fills the cache; every later one is a full hit (x-cache-hits equals --inputs, checked).
"""
import argparse
import http.client
import json
import statistics
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--model", default="all-minilm-l6-v2")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--inputs", type=int, default=1)
    args = parser.parse_args()

    url = urllib.parse.urlparse(args.url)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    texts = [f"cached latency probe {i}: the quick brown fox jumps over the lazy dog" for i in range(args.inputs)]
    body = json.dumps({"model": args.model, "input": texts})

    def call():
        connection.request("POST", "/v1/embeddings", body, {"content-type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.getheader("x-cache-hits")

    call()
    for _ in range(50):  # warm-up
        call()
    latencies = []
    start = time.monotonic()
    for _ in range(args.requests):
        t = time.monotonic()
        hits = call()
        latencies.append(time.monotonic() - t)
        assert hits == str(args.inputs), f"expected a full cache hit, got x-cache-hits {hits}"
    elapsed = time.monotonic() - start
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"{args.requests} cached requests of {args.inputs} input(s), model {args.model}: "
          f"p50 {statistics.median(latencies) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
          f"{args.requests / elapsed:.0f} requests/s ({args.requests * args.inputs / elapsed:.0f} inputs/s)")


if __name__ == "__main__":
    main()
