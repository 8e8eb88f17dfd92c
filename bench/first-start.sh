#!/usr/bin/env bash
# Times a first start (issue 21): the port's first answer, and the demo ready (GET /api/v1/status
# says phase "ready"), from an empty data directory, with the load average before and after (the
# build wants both cores: BENCHMARKS.md "The first start"). Run from the repository:
#   bash bench/first-start.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-3999}"
data="$(mktemp -d)"
npm run build:web >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
DATA_DIR="$data" PORT="$port" npx tsx src/cli/main.ts serve >"$data.log" 2>&1 &
server=$!
first=""
while true; do
  now=$(date +%s.%N)
  body=$(curl -s -m 2 "http://127.0.0.1:$port/api/v1/status" || true)
  if [ -n "$body" ] && [ -z "$first" ]; then
    first=$(echo "$now - $start" | bc)
    echo "first answer after ${first} s"
  fi
  if echo "$body" | grep -q '"phase":"ready"'; then echo "demo ready after $(echo "$now - $start" | bc) s"; break; fi
  if echo "$body" | grep -q '"phase":"failed"'; then echo "the start failed: $body"; break; fi
  if [ "$(echo "$now - $start > 900" | bc)" = 1 ]; then echo "not ready after 900 s"; break; fi
  sleep 1
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E ' s$|demo ready|演示数据已就绪' "$data.log" | grep -v '%' || true
kill "$server"
wait "$server" 2>/dev/null || true
du -sh "$data"
rm -rf "$data" "$data.log"
