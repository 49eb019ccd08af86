#!/usr/bin/env bash
# Loads `metron serve` with wrk on loopback: a store of B benchmarks × R runs (metron-store-bench),
# then D seconds of wrk per endpoint, reads first, then authenticated uploads. Prints requests/s,
# latency and errors per endpoint for docs/performance.md.
#   Benchmarks/server-load.sh [--benchmarks 100] [--runs 200] [--duration 10] [--connections 32] [--store LOCATION]
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=100 runs=200 duration=10 connections=32 store=""
while [ $# -gt 0 ]; do
  case "$1" in
    --benchmarks) benchmarks=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    *) echo "usage: $0 [--benchmarks N] [--runs N] [--duration S] [--connections N] [--store LOCATION]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
work=$(mktemp -d /tmp/metron-server-load.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
if [ -z "$store" ]; then store="$work/metron.sqlite"; fi

./scripts/build-release.sh metron-store-bench >/dev/null
bin=.build/release
echo "== filling the store: $benchmarks benchmarks × $runs runs"
"$bin/metron-store-bench" --store "$store" --benchmarks "$benchmarks" --runs "$runs" | tail -1
"$bin/metron" baseline save main 0000000000000000000000000000000000000000 --store "$store" >/dev/null

export METRON_TOKEN=load-test-token
"$bin/metron" serve --port 0 --store "$store" --config /nonexistent >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "http://" "$work/serve.log" && break; sleep 0.1; done
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1 | sed 's/.*://')
[ -n "$port" ] || { cat "$work/serve.log"; exit 1; }
base="http://127.0.0.1:$port"
latest=$(curl -sf "$base/api/runs?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
probe=$(curl -sf "$base/api/benchmarks" | python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.load(sys.stdin)[0]))')
curl -sf "$base/" >/dev/null   # renders the dashboard once; later requests hit the cache

# Uploads: each request posts a run under a fresh id (wrk's Lua), so every one is stored.
curl -sf "$base/api/runs/$latest" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); r["id"]="@RUNID@"; print(json.dumps(r))' > "$work/run.json"
upload_bytes=$(wc -c < "$work/run.json")
cat > "$work/upload.lua" <<LUA
local f = io.open("$work/run.json"); local body = f:read("*a"); f:close()
local id = 0
local threads = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer load-test-token"
wrk.headers["Content-Type"] = "application/json"
-- Each wrk thread has its own Lua state: a thread number set here keeps the ids unique.
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  id = id + 1
  local b = body:gsub("@RUNID@", "upload-" .. tid .. "-" .. id, 1)
  return wrk.format(nil, nil, nil, b)
end
LUA

echo "== wrk: $connections connections (uploads 4), 2 threads, ${duration}s per endpoint ($(nproc) cores shared by wrk and the server)"
printf '%-50s %11s %10s %10s %8s %8s\n' endpoint requests/s "mean lat." "p99 lat." errors non-2xx
load() {
  local label=$1 url=$2 conns=$3; shift 3
  local out
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --timeout 10s --latency "$@" "$url" 2>&1)
  local rps lat p99 errors non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  lat=$(echo "$out" | awk '/^    Latency/ {print $2}')
  p99=$(echo "$out" | awk '/^ +99%/ {print $2}')
  errors=$(echo "$out" | awk '/Socket errors/ {gsub(",",""); s=$4+$6+$8+$10} END {print s+0}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '%-50s %11s %10s %10s %8s %8s\n' "$label" "$rps" "$lat" "$p99" "$errors" "${non2xx:-0}"
}
load "GET /health" "$base/health" "$connections"
load "GET /api/runs?limit=20" "$base/api/runs?limit=20" "$connections"
load "GET /api/benchmarks" "$base/api/benchmarks" "$connections"
load "GET /api/history?benchmark=… (limit 100)" "$base/api/history?benchmark=$probe&limit=100" "$connections"
load "GET /api/runs/{id} ($benchmarks benchmarks)" "$base/api/runs/$latest" "$connections"
load "GET / (dashboard, cached)" "$base/" "$connections"
before=$(curl -sf "$base/api/runs?limit=10000" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
# Uploads come from CI machines a few at a time: 4 connections.
load "POST /api/runs ($benchmarks benchmarks, $((upload_bytes / 1024)) KiB each)" "$base/api/runs" 4 -s "$work/upload.lua"
after=$(curl -sf "$base/api/runs?limit=10000" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "runs stored by the uploads: $((after - before))"
