#!/usr/bin/env python3
"""Texts per second through POST /v1/embeddings for one batch of 32 golden texts, sent again and again.

Usage: python3 src/bench/batch_throughput.py [--url http://127.0.0.1:8080] [--model all-minilm-l6-v2]
                                             [--seconds 20] [--golden core/src/test/resources/golden/all-minilm-l6-v2.json]
Start the gateway first (README). The batch is the golden file's texts, repeated to 32.
"""
import argparse
import json
import statistics
import time
import urllib.request


def main():
    here = __file__.rsplit("/src/bench/", 1)[0]
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--model", default="all-minilm-l6-v2")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--golden", default=here + "/core/src/test/resources/golden/all-minilm-l6-v2.json")
    args = parser.parse_args()

    texts = [item["text"] for item in json.load(open(args.golden))["items"]]
    batch = (texts * 3)[:32]
    body = json.dumps({"model": args.model, "input": batch}).encode()

    def call():
        request = urllib.request.Request(args.url + "/v1/embeddings", data=body,
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request) as response:
            return json.load(response)["usage"]["prompt_tokens"]

    call()  # warm-up
    latencies, tokens = [], 0
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        start = time.monotonic()
        tokens += call()
        latencies.append(time.monotonic() - start)
    elapsed = sum(latencies)
    print(f"model {args.model}: {len(latencies)} batches of 32 in {elapsed:.1f} s: "
          f"{32 * len(latencies) / elapsed:.1f} texts/s, {tokens / elapsed:.0f} tokens/s, "
          f"batch latency p50 {statistics.median(latencies) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
