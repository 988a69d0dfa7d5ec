#!/usr/bin/env python3
"""Cosine of each golden text's vector, as served over HTTP, to the reference vector; and token counts.

Usage: python3 src/bench/golden_cosines.py [--url http://127.0.0.1:8080] [--golden-dir core/src/test/resources/golden]
Start the gateway first (README). Each text is sent alone, then all of a file's texts in one batch.
"""
import argparse
import json
import math
import urllib.request

FILES = {"all-minilm-l6-v2": "all-minilm-l6-v2.json", "bge-small-zh-v1.5-q": "bge-small-zh-v1.5-q.json"}


def embed(url, model, inputs):
    request = urllib.request.Request(url + "/v1/embeddings", data=json.dumps({"model": model, "input": inputs}).encode(),
                                     headers={"content-type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def main():
    here = __file__.rsplit("/src/bench/", 1)[0]
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--golden-dir", default=here + "/core/src/test/resources/golden")
    args = parser.parse_args()
    for model, file in FILES.items():
        items = json.load(open(f"{args.golden_dir}/{file}"))["items"]
        alone = [embed(args.url, model, item["text"]) for item in items]
        batch = embed(args.url, model, [item["text"] for item in items])
        cos_alone = [cosine(r["data"][0]["embedding"], i["embedding"]) for r, i in zip(alone, items)]
        cos_batch = [cosine(d["embedding"], i["embedding"]) for d, i in zip(batch["data"], items)]
        tokens_ok = all(r["usage"]["prompt_tokens"] == i["tokens"] for r, i in zip(alone, items))
        print(f"{model}: {len(items)} texts; cosine alone min {min(cos_alone):.6f} mean {sum(cos_alone) / len(items):.6f}; "
              f"in one batch min {min(cos_batch):.6f}; tokens equal to the reference: {tokens_ok}")


if __name__ == "__main__":
    main()
