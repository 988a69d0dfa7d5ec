#!/usr/bin/env bash
# The gateway's resident memory under 6 concurrent /v1/tokenize calls of one large input with offsets (issue 27's
# figure): starts the packaged app (heap 1 GB) on a free port, samples `ps -o rss` every 0.2 s until the calls end
# or MAX_SECONDS pass, prints RSS before, at peak and 2 s after, and the answers' statuses.
# Usage, from the project root after ./mvnw -B package -DskipTests:
#   src/bench/tokenize-rss.sh [INPUT_CHARACTERS (default 15000000)] [MAX_SECONDS (default 150)]
set -euo pipefail
CHARS=${1:-15000000}; MAX=${2:-150}
APP=$(pwd)/app/target/quarkus-app
WORK=$(mktemp -d)
python3 -c "import json,sys; print(json.dumps({'input': ('word ' * ($CHARS // 5 + 1))[:$CHARS], 'return_offsets': True}))" > "$WORK/body.json"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$WORK" && exec java -Xmx1g -Dquarkus.http.port="$PORT" -Dgateway.warm-up.requests=0 -jar "$APP/quarkus-run.jar" > app.log 2>&1) &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/q/health/ready" > /dev/null && break; sleep 0.5; done
JAVA_PID=$(pgrep -P $PID java || echo $PID)
BEFORE=$(ps -o rss= -p "$JAVA_PID"); PEAK=$BEFORE; START=$(date +%s); CALLS=()
for i in 1 2 3 4 5 6; do
  curl -s -o /dev/null -w "%{http_code}\n" -H 'content-type: application/json' --data-binary @"$WORK/body.json" \
    "localhost:$PORT/v1/tokenize" > "$WORK/status$i" &
  CALLS+=($!)
done
while [ -n "$(for c in "${CALLS[@]}"; do kill -0 "$c" 2>/dev/null && echo running; done)" ] \
    && [ $(( $(date +%s) - START )) -lt "$MAX" ]; do
  RSS=$(ps -o rss= -p "$JAVA_PID"); [ "$RSS" -gt "$PEAK" ] && PEAK=$RSS
  sleep 0.2
done
ELAPSED=$(( $(date +%s) - START )); sleep 2; AFTER=$(ps -o rss= -p "$JAVA_PID")
kill "${CALLS[@]}" 2>/dev/null || true
echo "6 x $CHARS characters with offsets: RSS before $((BEFORE / 1024)) MB, peak $((PEAK / 1024)) MB," \
  "2 s after $((AFTER / 1024)) MB; ${ELAPSED} s (cap ${MAX} s); statuses: $(cat "$WORK"/status* | sort | uniq -c | tr -s ' \n' ' ')"
