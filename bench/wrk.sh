#!/usr/bin/env bash
# Load test on loopback with wrk: starts Bulwark in a temporary home, creates an account, then runs
#   1. minimal authenticated requests (pipeline only), and
#   2. language detection of one sentence,
# each for DURATION seconds with CONNECTIONS connections on THREADS threads, and prints wrk's summary.
# Usage: bench/wrk.sh [DURATION=20] [CONNECTIONS=64] [THREADS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}; CONNECTIONS=${2:-64}; THREADS=${3:-2}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
HOME_DIR=$(mktemp -d)
DATA_PORT=${BENCH_DATA_PORT:-18443}; MGMT_PORT=${BENCH_MGMT_PORT:-18444}
TOKEN="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BULWARK_HOME="$HOME_DIR" BULWARK_DATA_LISTEN="127.0.0.1:$DATA_PORT" BULWARK_MANAGEMENT_LISTEN="127.0.0.1:$MGMT_PORT" BULWARK_ADMIN_TOKEN="$TOKEN"
./bulwark serve > "$HOME_DIR/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
for _ in $(seq 1 120); do
  curl -sf --cacert "$HOME_DIR/tls/selfsigned-cert.pem" "https://localhost:$MGMT_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
export BULWARK_ENDPOINT="https://localhost:$MGMT_PORT"
./bulwark account create bench --kind TextAnalytics --location local >/dev/null
export BENCH_ACCOUNT=bench
BENCH_KEY=$(./bulwark account keys list bench -o json | sed -n 's/.*"key1" *: *"\([^"]*\)".*/\1/p')
export BENCH_KEY
echo "== warm-up"; wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s bench/wrk/minimal.lua "https://127.0.0.1:$DATA_PORT" >/dev/null
echo "== minimal authenticated request (${DURATION}s, $CONNECTIONS connections, $THREADS threads)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/minimal.lua "https://127.0.0.1:$DATA_PORT"
echo "== language detection, one sentence (${DURATION}s, $CONNECTIONS connections, $THREADS threads)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/language.lua "https://127.0.0.1:$DATA_PORT"
