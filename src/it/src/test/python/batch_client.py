"""Drives the gateway's Batches API with the official OpenAI Python SDK, as a user would; exits non-zero on a failure.

Usage: batch_client.py BASE_URL (the gateway's /v1). Prints a JSON summary of what it saw.
"""
import io
import json
import struct
import sys
import time

from openai import OpenAI, NotFoundError

client = OpenAI(base_url=sys.argv[1], api_key="no-key-needed", max_retries=0)
MODEL = "all-minilm-l6-v2"
FINISHED = {"completed", "failed", "expired", "cancelled"}


def upload(lines):
    data = "".join(json.dumps(line) + "\n" for line in lines).encode("utf-8")
    return client.files.create(file=("input.jsonl", io.BytesIO(data)), purpose="batch")


def request(custom_id, text):
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/embeddings", "body": {"model": MODEL, "input": text}}


def wait(batch_id):
    for _ in range(2400):
        batch = client.batches.retrieve(batch_id)
        if batch.status in FINISHED:
            return batch
        time.sleep(0.25)
    raise AssertionError(f"batch {batch_id} did not finish")


texts = [f"Python line {i}: how an organisation embeds its documents, part {i % 11}" for i in range(300)]
input_file = upload([request(f"py-{i}", text) for i, text in enumerate(texts)])
batch = client.batches.create(input_file_id=input_file.id, endpoint="/v1/embeddings", completion_window="24h",
                              metadata={"source": "python-sdk"})
assert batch.status == "validating", batch.status
batch = wait(batch.id)
assert batch.status == "completed", batch
assert (batch.request_counts.total, batch.request_counts.completed, batch.request_counts.failed) == (300, 300, 0)
assert batch.metadata == {"source": "python-sdk"}, batch.metadata
output = [json.loads(line) for line in client.files.content(batch.output_file_id).text.splitlines()]
by_id = {line["custom_id"]: line for line in output}
assert len(output) == len(by_id) == 300

def float32(vector):
    # The SDK asks /v1/embeddings for base64 (float32 bits); a batch line has the same floats written as JSON.
    return struct.unpack(f"{len(vector)}f", struct.pack(f"{len(vector)}f", *vector))


direct = client.embeddings.create(model=MODEL, input=texts)
for i, item in enumerate(direct.data):
    line = by_id[f"py-{i}"]
    assert line["response"]["status_code"] == 200
    assert float32(line["response"]["body"]["data"][0]["embedding"]) == float32(item.embedding), f"py-{i}"

# A file the batch cannot run: the batch fails with line-numbered errors, as OpenAI's does.
bad_file = upload([request("same", "one"), request("same", "two")])
bad = wait(client.batches.create(input_file_id=bad_file.id, endpoint="/v1/embeddings", completion_window="24h").id)
assert bad.status == "failed", bad.status
assert [(e.code, e.line) for e in bad.errors.data] == [("duplicate_custom_id", 2)], bad.errors

# Cancelled: what was done is in the output file, the rest in the error file; every custom_id once.
long_file = upload([request(f"c-{i}", f"cancelled batch line {i} {time.time()}") for i in range(2000)])
running = client.batches.create(input_file_id=long_file.id, endpoint="/v1/embeddings", completion_window="24h")
while client.batches.retrieve(running.id).status == "validating":
    time.sleep(0.05)
cancelling = client.batches.cancel(running.id)
assert cancelling.status in ("cancelling", "cancelled"), cancelling.status
cancelled = wait(running.id)
assert cancelled.status == "cancelled", cancelled.status
seen = []
for file_id in (cancelled.output_file_id, cancelled.error_file_id):
    if file_id:
        seen += [json.loads(line)["custom_id"] for line in client.files.content(file_id).text.splitlines()]
assert sorted(seen) == sorted(f"c-{i}" for i in range(2000))

listed = [b.id for b in client.batches.list(limit=100)]
assert batch.id in listed and bad.id in listed and running.id in listed
try:
    client.batches.retrieve("batch_nosuch")
    raise AssertionError("an unknown batch was found")
except NotFoundError:
    pass

print(json.dumps({"completed": batch.request_counts.completed, "failed_errors": len(bad.errors.data),
                  "cancelled_lines": len(seen), "listed": len(listed)}))
