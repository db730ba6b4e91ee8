#!/usr/bin/env bash
# Scans a Bulwark TLS listener with testssl.sh and fails on anything weaker than Bulwark's TLS policy
# (dev.bulwark.server.tls.TlsPolicy):
#   - a protocol below TLS 1.2 offered: SSLv2, SSLv3, TLS 1.0, TLS 1.1;
#   - an offered cipher suite that is CBC (or otherwise not AEAD) or not forward secret;
#   - no Strict-Transport-Security header, or one with max-age below 63072000 s (two years);
#   - and, beyond those, insecure or client-initiated renegotiation (a handshake-flood lever the JDK engine
#     allows unless TlsPolicy turns it off).
# Each finding is printed on its own FAIL line. Exit status: 0 clean, 1 findings, 2 the scan itself failed.
#
# Usage: bench/testssl.sh [host:port]            (default 127.0.0.1:8443)
#   TESTSSL_OUT_DIR=dir   keep testssl's JSON (testssl.json) and text log (testssl.log) there
#                         (default: a fresh temporary directory, printed at the end)
#
# A throwaway server configured only by TlsPolicy, sending Bulwark's HSTS header, to scan:
#   ./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
#   java -cp "target/classes:target/test-classes:$(cat /tmp/cp.txt)" \
#        dev.bulwark.server.tls.TlsBenchServer 8443 openssl /tmp/bulwark-bench &   # or: ... 8443 jdk ...
#   bench/testssl.sh 127.0.0.1:8443; kill %1
set -euo pipefail

target=${1:-127.0.0.1:8443}
min_hsts_seconds=63072000

die() { echo "ERROR: $*" >&2; exit 2; }

# testssl.sh (Debian package testssl.sh, binary testssl) and jq, installed when missing and we may.
need=()
command -v testssl >/dev/null 2>&1 || need+=(testssl.sh)
command -v jq >/dev/null 2>&1 || need+=(jq)
if ((${#need[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} ..." >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || die "could not install ${need[*]} with apt-get"
  else
    die "missing ${need[*]}; install with: sudo apt-get install -y ${need[*]}"
  fi
fi

out_dir=${TESTSSL_OUT_DIR:-$(mktemp -d -t bulwark-testssl.XXXXXX)}
mkdir -p "$out_dir"
json=$out_dir/testssl.json
log=$out_dir/testssl.log
rm -f "$json" "$log"   # testssl refuses to overwrite an existing JSON file

echo "scanning $target with $(testssl --version 2>/dev/null | grep -Eo 'testssl +[0-9][^ ]*' | head -1 || echo testssl) ..."
# --protocols: every protocol; --cipher-per-proto: every offered suite per protocol; --fs: forward secrecy
# summary; --headers: HSTS; --renegotiation: secure and client-initiated renegotiation. testssl's own exit status reflects its severity counts, not our policy: the
# JSON is what is judged, and a scan that produced none is an error.
set +e
testssl --quiet --color 0 --warnings off --protocols --cipher-per-proto --fs --headers --renegotiation \
  --jsonfile "$json" "$target" >"$log" 2>&1
testssl_status=$?
set -e
[[ -s $json ]] || die "testssl produced no JSON (exit $testssl_status); see $log"
jq -e 'type == "array"' "$json" >/dev/null || die "testssl JSON is not a list of findings: $json"

finding() { jq -r --arg id "$1" '[.[] | select(.id == $id) | .finding] | first // empty' "$json"; }

problem=$(jq -r '[.[] | select(.id == "scanProblem") | .finding] | join("; ")' "$json")
[[ -z $problem ]] || die "testssl could not scan $target: $problem"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- protocols ---------------------------------------------------------------------------------------
echo "protocols:"
for id in SSLv2 SSLv3 TLS1 TLS1_1 TLS1_2 TLS1_3; do
  text=$(finding "$id")
  printf '  %-7s %s\n' "$id" "${text:-(not reported)}"
  case $id in
    TLS1_2|TLS1_3) ;;
    *)
      # Anything but a plain "not offered" (offered, offered with a note, could not be tested) is a finding.
      [[ $text == "not offered"* ]] || fail "protocol $id must not be offered, testssl says: ${text:-nothing}"
      ;;
  esac
done
tls12=$(finding TLS1_2); tls13=$(finding TLS1_3)
if [[ $tls12 != offered* && $tls13 != offered* ]]; then
  die "neither TLS 1.2 nor TLS 1.3 is offered at $target (TLS1_2: '$tls12', TLS1_3: '$tls13'); is it a TLS port?"
fi

# --- cipher suites -----------------------------------------------------------------------------------
# One finding per offered suite, id "cipher-<protocol>_x<code>", text like
#   TLS 1.2   xc02b   ECDHE-ECDSA-AES128-GCM-SHA256   ECDH 253   AESGCM   128   TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
echo "offered cipher suites:"
suites=0
while IFS= read -r line; do
  [[ -n $line ]] || continue
  suites=$((suites + 1))
  read -r -a words <<<"$line"
  code="" openssl_name="" encryption="" rfc_name=${words[-1]}
  protocol=""
  for i in "${!words[@]}"; do
    if [[ ${words[i]} =~ ^x[0-9a-fA-F]+$ ]]; then code=${words[i]}; openssl_name=${words[i + 1]:-}; break; fi
    protocol+="${protocol:+ }${words[i]}"
  done
  for word in "${words[@]}"; do
    case $word in AESGCM|AESCCM|AESCCM8|ChaCha20|CamelliaGCM|ARIAGCM|AES|Camellia|ARIA|SEED|IDEA|3DES|DES|RC2|RC4|None|NULL) encryption=$word ;; esac
  done
  name=$rfc_name; [[ $name == TLS_* || $name == SSL_* ]] || name=$openssl_name
  echo "  $protocol $code $name ($openssl_name, $encryption)"
  offer="$name ($code, $protocol)"

  tls13=false
  [[ $line == "TLS 1.3"* || $name =~ ^TLS_(AES|CHACHA20)_ ]] && tls13=true

  # AEAD only: GCM, CCM or ChaCha20-Poly1305; CBC named as such, other block or stream ciphers as not AEAD.
  if [[ $name == *CBC* || $openssl_name == *CBC* || $encryption =~ ^(AES|Camellia|ARIA|SEED|IDEA|3DES|DES|RC2)$ ]]; then
    fail "CBC cipher suite offered: $offer"
  elif ! $tls13 && [[ ! $name =~ (_GCM_|_CCM|CHACHA20_POLY1305) && ! $encryption =~ ^(AESGCM|AESCCM|AESCCM8|ChaCha20|CamelliaGCM|ARIAGCM)$ ]]; then
    fail "cipher suite without authenticated encryption ($encryption) offered: $offer"
  fi
  # Forward secrecy: TLS 1.3 always has it; in TLS 1.2 and older only ephemeral (EC)DHE key exchange.
  # Anonymous suites are ephemeral but authenticate nobody: refused as such, not as "no forward secrecy".
  if [[ $name == *_anon_* || $openssl_name =~ ^(ADH|AECDH)- ]]; then
    fail "anonymous (unauthenticated) cipher suite offered: $offer"
  elif ! $tls13 && [[ ! $name =~ ^(TLS|SSL)_(ECDHE|DHE)_ && ! $openssl_name =~ ^(ECDHE|DHE|EDH)- ]]; then
    fail "cipher suite without forward secrecy offered: $offer"
  fi
done < <(jq -r '.[] | select(.id | startswith("cipher-")) | .finding' "$json")
((suites > 0)) || die "testssl reported no offered cipher suites for $target; see $log"
fs_curves=$(finding PFS_ECDHE_curves); [[ -n $fs_curves ]] || fs_curves=$(finding FS_ECDHE_curves)
[[ -z $fs_curves ]] || echo "ECDHE groups: $fs_curves"

# --- HSTS --------------------------------------------------------------------------------------------
hsts_time=$(finding HSTS_time)
hsts=$(finding HSTS)
echo "HSTS: ${hsts_time:-${hsts:-(not reported: is there an HTTP service at $target?)}}"
if [[ -z $hsts_time ]]; then
  fail "no Strict-Transport-Security header (testssl HSTS: ${hsts:-not reported})"
elif [[ $hsts_time =~ =([0-9]+)\ seconds ]]; then
  seconds=${BASH_REMATCH[1]}
  ((seconds >= min_hsts_seconds)) || fail "HSTS max-age=$seconds is below $min_hsts_seconds (two years)"
else
  fail "cannot read the HSTS max-age from testssl's finding: $hsts_time"
fi

# --- renegotiation -----------------------------------------------------------------------------------
secure_renego=$(finding secure_renego)
client_renego=$(finding secure_client_renego)
echo "renegotiation: secure: ${secure_renego:-(not reported)}; client-initiated: ${client_renego:-(not reported)}"
[[ $secure_renego != VULNERABLE* ]] || fail "insecure renegotiation: $secure_renego"
[[ $client_renego != VULNERABLE* ]] || fail "client-initiated renegotiation accepted: $client_renego"

echo "testssl output: $json, $log"
if ((failures)); then
  echo "RESULT: $failures finding(s) against Bulwark's TLS policy at $target"
  exit 1
fi
echo "RESULT: $target meets Bulwark's TLS policy (TLS 1.2/1.3 only, ECDHE + AEAD suites only, HSTS >= $min_hsts_seconds s)"
