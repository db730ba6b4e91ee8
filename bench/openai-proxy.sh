#!/usr/bin/env bash
# One small OpenAI chat completion measured with wrk, in one run on this machine, against
#   direct   the stand-in upstream itself (plain HTTP, no key: the floor the proxies add to),
#   nginx    nginx as a TLS-terminating proxy with an equivalent key check (the baseline),
#   bulwark  Bulwark with TLS and key auth, proxying to a deployment on the same upstream.
# The upstream is its own nginx instance with one worker answering a fixed chat completion JSON.
# Per target: a warm-up, a peak run (wrk -t2 -c64), then a paced "half load" run at 50% of
# BULWARK's peak rate (the same absolute rate for every target, so the latencies compare).
# Prints requests/s, p50 and p99 for each, the ratios, and whether the goals of issue 4 are met:
# Bulwark's requests/s >= nginx's, and Bulwark's p99 minus direct's p99 at half load < 1 ms.
#
# Usage: bench/openai-proxy.sh [DURATION=15]
# Environment:
#   TARGETS="direct nginx bulwark"   which targets to run (any subset, in that order)
#   WARMUP=5                         warm-up seconds before each peak run
#   HALF_RATE=<req/s>                rate of the half-load runs (default: 50% of Bulwark's peak;
#                                    without bulwark in TARGETS, 50% of nginx's, else direct's)
#   HALF_CONNECTIONS=16              connections of the paced half-load runs
#   BENCH_UPSTREAM_PORT=18480 BENCH_NGINX_PORT=18481 BENCH_DATA_PORT=18443 BENCH_MGMT_PORT=18444
# Needs: wrk, nginx, openssl, curl (Debian: apt-get install -y wrk nginx-light openssl curl).
# Exit: 0 measured, 1 a check failed or a run had errors (invalid), 2 missing tool or bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-15}
WARMUP=${WARMUP:-5}
TARGETS=${TARGETS:-direct nginx bulwark}
HALF_CONNECTIONS=${HALF_CONNECTIONS:-16}
THREADS=2
PEAK_CONNECTIONS=64
UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-18480}
NGINX_PORT=${BENCH_NGINX_PORT:-18481}
DATA_PORT=${BENCH_DATA_PORT:-18443}
MGMT_PORT=${BENCH_MGMT_PORT:-18444}
BODY='{"messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}'
NGINX_PATH_Q="/openai/deployments/bench/chat/completions?api-version=2024-10-21"
BULWARK_PATH_Q="/accounts/bench/openai/deployments/bench/chat/completions?api-version=2024-10-21"
DIRECT_PATH="/v1/chat/completions"

die() { echo "openai-proxy: $*" >&2; exit 1; }
usage() { echo "openai-proxy: $*" >&2; echo "usage: [TARGETS=\"direct nginx bulwark\"] bench/openai-proxy.sh [DURATION=15]" >&2; exit 2; }

[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || usage "DURATION must be a whole number of seconds, got '$DURATION'"
[[ $WARMUP =~ ^[0-9]+$ ]] || usage "WARMUP must be a whole number of seconds"
[[ $HALF_CONNECTIONS =~ ^[0-9]+$ && $HALF_CONNECTIONS -ge $THREADS ]] || usage "HALF_CONNECTIONS must be a number >= $THREADS"
declare -A WANT=()
for t in $TARGETS; do
  case $t in direct|nginx|bulwark) WANT[$t]=1 ;; *) usage "unknown target '$t' (direct, nginx, bulwark)" ;; esac
done
[[ ${#WANT[@]} -gt 0 ]] || usage "TARGETS is empty"
ORDER=(); for t in direct nginx bulwark; do if [[ -n ${WANT[$t]:-} ]]; then ORDER+=("$t"); fi; done

# How busy the machine is before anything starts: the figures only mean something on a quiet one.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
PSI_BEFORE=$(sed -n 's/^some avg10=\([0-9.]*\).*/\1/p' /proc/pressure/cpu 2>/dev/null || true)
QUIET=$(awk -v l="${LOAD_BEFORE%% *}" -v p="${PSI_BEFORE:-0}" -v n="$(nproc)" 'BEGIN { print (l < n / 2 && p < 10) ? "yes" : "no" }')
if [[ $QUIET != yes ]]; then
  echo "openai-proxy: WARNING: the machine is busy (load average $LOAD_BEFORE, CPU pressure ${PSI_BEFORE:-?}%); p99 figures will be noisy" >&2
fi

# ---- tools -------------------------------------------------------------------------------------
NGINX_BIN=$(command -v nginx || true)
[[ -z $NGINX_BIN && -x /usr/sbin/nginx ]] && NGINX_BIN=/usr/sbin/nginx
missing=()
[[ -n $NGINX_BIN ]] || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "openai-proxy: missing tools. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}     (Debian/Ubuntu; 'nginx' instead of 'nginx-light' works too)" >&2
  exit 2
fi

# ---- temporary directory, cleaned on exit -------------------------------------------------------
DIR=$(mktemp -d "${TMPDIR:-/tmp}/openai-proxy.XXXXXX")
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
render() { # template -> $DIR/<name>.conf
  sed -e "s|@DIR@|$DIR|g" -e "s|@UPSTREAM_PORT@|$UPSTREAM_PORT|g" -e "s|@NGINX_PORT@|$NGINX_PORT|g" \
      -e "s|@KEY@|${NGINX_KEY:-}|g" "bench/nginx/$1.conf.template" > "$DIR/$1.conf"
}
start_nginx() { # name port port-variable
  local name=$1 port=$2
  if port_busy "$port"; then die "port $port is already in use (set $3)"; fi
  mkdir -p "$DIR/$name-tmp"
  render "$name"
  "$NGINX_BIN" -t -q -p "$DIR" -e "$DIR/$name-error.log" -c "$DIR/$name.conf" \
    || { cat "$DIR/$name-error.log" >&2; die "nginx rejected $DIR/$name.conf"; }
  "$NGINX_BIN" -p "$DIR" -e "$DIR/$name-error.log" -c "$DIR/$name.conf" &
  PIDS+=($!)
  for _ in $(seq 1 50); do port_busy "$port" && return 0; sleep 0.1; done
  cat "$DIR/$name-error.log" >&2; die "nginx ($name) did not start listening on 127.0.0.1:$port"
}

# ---- start the upstream (always) and the selected proxies ---------------------------------------
start_nginx upstream "$UPSTREAM_PORT" BENCH_UPSTREAM_PORT

if [[ -n ${WANT[nginx]:-} ]]; then
  NGINX_KEY=$(head -c 27 /dev/urandom | od -An -tx1 | tr -d ' \n' | cut -c1-53) # 53 characters, as Bulwark's keys
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DIR/nginx-key.pem" -out "$DIR/nginx-cert.pem" >/dev/null 2>&1 \
    || die "openssl could not make the throwaway certificate"
  start_nginx proxy "$NGINX_PORT" BENCH_NGINX_PORT
fi

if [[ -n ${WANT[bulwark]:-} ]]; then
  # As bench/wrk.sh: a temporary home, both listeners on loopback, a random admin token.
  for p in "$DATA_PORT" "$MGMT_PORT"; do
    if port_busy "$p"; then die "port $p is already in use (set BENCH_DATA_PORT / BENCH_MGMT_PORT)"; fi
  done
  HOME_DIR="$DIR/bulwark-home"; mkdir -m 700 "$HOME_DIR"
  TOKEN="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  export BULWARK_HOME="$HOME_DIR" BULWARK_DATA_LISTEN="127.0.0.1:$DATA_PORT" \
         BULWARK_MANAGEMENT_LISTEN="127.0.0.1:$MGMT_PORT" BULWARK_ADMIN_TOKEN="$TOKEN"
  echo "starting Bulwark (builds the jar first if the sources changed)..." >&2
  ./bulwark serve > "$DIR/bulwark-serve.log" 2>&1 &
  PIDS+=($!)
  up=""
  for _ in $(seq 1 240); do
    if curl -sf --cacert "$HOME_DIR/tls/selfsigned-cert.pem" "https://localhost:$MGMT_PORT/healthz" >/dev/null 2>&1; then up=1; break; fi
    kill -0 "${PIDS[-1]}" 2>/dev/null || break
    sleep 0.5
  done
  [[ -n $up ]] || { tail -n 30 "$DIR/bulwark-serve.log" >&2; die "Bulwark did not answer /healthz on 127.0.0.1:$MGMT_PORT"; }
  export BULWARK_ENDPOINT="https://localhost:$MGMT_PORT"
  ./bulwark account create bench --kind OpenAI --location local > "$DIR/cli.log" 2>&1 \
    || { cat "$DIR/cli.log" >&2; die "bulwark account create failed"; }
  ./bulwark deployment create --account bench --name bench \
      --upstream-url "http://127.0.0.1:$UPSTREAM_PORT/v1" --model bench-model > "$DIR/cli.log" 2>&1 \
    || { cat "$DIR/cli.log" >&2; die "bulwark deployment create failed"; }
  BULWARK_KEY=$(./bulwark account keys list bench -o json | sed -n 's/.*"key1" *: *"\([^"]*\)".*/\1/p')
  [[ -n $BULWARK_KEY ]] || die "could not read key1 of account bench"
fi

# ---- per-target request shape -------------------------------------------------------------------
url_of() { case $1 in direct) echo "http://127.0.0.1:$UPSTREAM_PORT" ;; nginx) echo "https://127.0.0.1:$NGINX_PORT" ;; bulwark) echo "https://127.0.0.1:$DATA_PORT" ;; esac; }
path_of() { case $1 in direct) echo "$DIRECT_PATH" ;; nginx) echo "$NGINX_PATH_Q" ;; bulwark) echo "$BULWARK_PATH_Q" ;; esac; }
key_of() { case $1 in direct) echo "" ;; nginx) echo "$NGINX_KEY" ;; bulwark) echo "$BULWARK_KEY" ;; esac; }

# ---- checks before measuring: 200 with a chat completion; 401 for a wrong or missing key ---------
post() { # target key-or-empty -> prints "<status> <body>"; -k: both certificates are throwaway self-signed
  local t=$1 key=$2 args=(-sS -k -o "$DIR/check-body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data "$BODY")
  if [[ -n $key ]]; then args+=(-H "api-key: $key"); fi
  local code; code=$(curl "${args[@]}" "$(url_of "$t")$(path_of "$t")" 2>"$DIR/check-err") || code="curl-failed:$(cat "$DIR/check-err")"
  echo "$code $(head -c 400 "$DIR/check-body" 2>/dev/null)"
}
for t in "${ORDER[@]}"; do
  r=$(post "$t" "$(key_of "$t")")
  [[ $r == "200 "* && $r == *'"chat.completion"'* && $r == *'"usage"'* ]] \
    || die "$t: expected 200 with a chat completion from POST $(url_of "$t")$(path_of "$t"), got: $r"
  if [[ $t != direct ]]; then
    r=$(post "$t" "wrong-$(key_of "$t")"); [[ $r == "401 "* ]] || die "$t: a wrong key must be refused with 401, got: $r"
    r=$(post "$t" ""); [[ $r == "401 "* ]] || die "$t: a missing key must be refused with 401, got: $r"
  fi
  echo "check $t: 200 with a chat completion$([[ $t != direct ]] && echo '; wrong key 401; no key 401')" >&2
done

# ---- wrk runs ---------------------------------------------------------------------------------
declare -A RPS=() P50=() P99=() HRPS=() HP50=() HP99=() BAD=()
INVALID=0
run_wrk() { # target connections duration rate-or-empty label -> sets R_* from the BENCH_RESULT line
  local t=$1 c=$2 d=$3 rate=$4 label=$5 out="$DIR/wrk-$1-$5.txt"
  CHAT_PATH=$(path_of "$t") CHAT_KEY=$(key_of "$t") CHAT_RATE=$rate CHAT_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$c" -d"${d}s" --latency -s bench/wrk/openai-chat.lua "$(url_of "$t")" > "$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed ($t, $label)"; }
  local line; line=$(grep '^BENCH_RESULT ' "$out" | tail -n 1) || { cat "$out" >&2; die "no BENCH_RESULT line from wrk ($t, $label)"; }
  local kv; for kv in ${line#BENCH_RESULT }; do printf -v "R_${kv%%=*}" '%s' "${kv#*=}"; done
  local errs=$((R_status_errors + R_connect + R_read + R_write + R_timeout))
  if [[ $errs -gt 0 ]]; then
    INVALID=1; BAD[$t]="${BAD[$t]:-}$label "
    echo "INVALID $t $label: $R_status_errors answers >= 400 and socket errors connect $R_connect, read $R_read, write $R_write, timeout $R_timeout (of $R_requests requests)" >&2
  fi
  printf '  %-8s %-5s %10.0f req/s  p50 %6.3f ms  p99 %6.3f ms  errors %d\n' "$t" "$label" "$R_rps" \
    "$(ms "$R_p50_us")" "$(ms "$R_p99_us")" "$errs" >&2
}
warm_up() { # target: a peak-shaped run whose figures are thrown away
  CHAT_PATH=$(path_of "$1") CHAT_KEY=$(key_of "$1") CHAT_RATE="" CHAT_THREADS=$THREADS \
    wrk -t"$THREADS" -c"$PEAK_CONNECTIONS" -d"${WARMUP}s" -s bench/wrk/openai-chat.lua "$(url_of "$1")" > "$DIR/wrk-$1-warm.txt" 2>&1 \
    || { cat "$DIR/wrk-$1-warm.txt" >&2; die "wrk failed ($1, warm-up)"; }
}
ms() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
MEM=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
echo "== peak runs: wrk -t$THREADS -c$PEAK_CONNECTIONS -d${DURATION}s --latency, after a ${WARMUP}s warm-up each" >&2
for t in "${ORDER[@]}"; do
  if [[ $WARMUP -gt 0 ]]; then warm_up "$t"; fi
  run_wrk "$t" "$PEAK_CONNECTIONS" "$DURATION" "" peak
  RPS[$t]=$R_rps; P50[$t]=$R_p50_us; P99[$t]=$R_p99_us
done

if [[ -n ${HALF_RATE:-} ]]; then RATE_BASE="HALF_RATE"; RATE=$HALF_RATE
else
  for base in bulwark nginx direct; do if [[ -n ${RPS[$base]:-} ]]; then break; fi; done
  RATE_BASE="50% of $base's peak"; RATE=$(awk -v r="${RPS[$base]}" 'BEGIN { printf "%d", r / 2 }')
fi
echo "== half-load runs: $RATE req/s ($RATE_BASE) for every target, wrk -t$THREADS -c$HALF_CONNECTIONS -d${DURATION}s, paced by delay()" >&2
for t in "${ORDER[@]}"; do
  run_wrk "$t" "$HALF_CONNECTIONS" "$DURATION" "$RATE" half
  HRPS[$t]=$R_rps; HP50[$t]=$R_p50_us; HP99[$t]=$R_p99_us
done

# ---- report -----------------------------------------------------------------------------------
echo
echo "OpenAI chat completion through a proxy, $(date -u '+%Y-%m-%d %H:%M UTC'), $(hostname)"
echo "machine: $(nproc) cores ($CPU), $MEM, $(uname -sr); wrk, nginx and Bulwark SHARE these $(nproc) cores"
echo "tools: $("$NGINX_BIN" -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }'), load average before: $LOAD_BEFORE, CPU pressure (PSI some avg10) before: ${PSI_BEFORE:-n/a}%$([[ $QUIET == yes ]] || echo " -- NOT QUIET, p99 figures noisy")"
echo "upstream: nginx, 1 worker, fixed chat completion JSON on http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
echo "direct = plain HTTP to the upstream, no TLS and no key; nginx = TLS + api-key map check + keepalive upstream pool (auto = $(nproc) workers);"
echo "bulwark = TLS + account key check + deployment proxy. Peak: wrk -t$THREADS -c$PEAK_CONNECTIONS -d${DURATION}s; half load: $RATE req/s ($RATE_BASE), -c$HALF_CONNECTIONS."
echo
printf '%-8s | %12s | %9s | %9s | %15s | %9s | %9s\n' target "peak req/s" "p50 ms" "p99 ms" "half req/s" "half p50" "half p99"
printf '%s\n' "---------|--------------|-----------|-----------|-----------------|-----------|----------"
for t in "${ORDER[@]}"; do
  short=$(awk -v a="${HRPS[$t]}" -v r="$RATE" 'BEGIN { if (a < 0.95 * r) print "*"; }')
  printf '%-8s | %12.0f | %9s | %9s | %14.0f%1s | %9s | %9s%s\n' "$t" "${RPS[$t]}" "$(ms "${P50[$t]}")" "$(ms "${P99[$t]}")" \
    "${HRPS[$t]}" "$short" "$(ms "${HP50[$t]}")" "$(ms "${HP99[$t]}")" "${BAD[$t]:+  INVALID (errors in: ${BAD[$t]% })}"
  if [[ -n $short ]]; then SHORT=1; fi
done
if [[ -n ${SHORT:-} ]]; then echo "* achieved under 95% of the $RATE req/s target: its half-load latencies are at a lower load (a busy machine, or too few connections: raise HALF_CONNECTIONS)."; fi
echo
if [[ -n ${RPS[nginx]:-} && -n ${RPS[bulwark]:-} ]]; then
  awk -v b="${RPS[bulwark]}" -v n="${RPS[nginx]}" 'BEGIN {
    printf "Bulwark/nginx peak requests/s: %.2f   goal >= 1.00: %s\n", b / n, (b >= n ? "MET" : "NOT MET") }'
fi
if [[ -n ${RPS[direct]:-} ]]; then
  for t in nginx bulwark; do
    [[ -n ${RPS[$t]:-} ]] || continue
    awk -v t="$t" -v p="${HP99[$t]}" -v d="${HP99[direct]}" -v r="${RPS[$t]}" -v dr="${RPS[direct]}" 'BEGIN {
      added = (p - d) / 1000
      printf "%s p99 - direct p99 at half load: %+.3f ms", t, added
      if (t == "bulwark") printf "   goal < 1 ms: %s", (added < 1 ? "MET" : "NOT MET")
      printf "   (%s/direct peak requests/s: %.2f)\n", t, r / dr }'
  done
fi
if [[ $INVALID -ne 0 ]]; then
  echo "RUN INVALID: some runs had error answers or socket errors (marked above); do not use these figures."
  exit 1
fi
