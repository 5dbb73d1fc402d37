#!/usr/bin/env bash
# Measures what TLS costs: the same `kv bench` against a plaintext and a TLS cluster (real node
# processes from scripts/cluster.sh, N=3, R=W=2, default group commit), alternately, and prints
# each run and the TLS / plaintext ratios of the mean throughput and p99.
#
#   scripts/tls-bench.sh [--nodes 3] [--load 30s] [--rounds 3] [--read-ratio 0.5] [--concurrency 16]
#
# The TLS cluster is `cluster.sh start --tls` (ECDSA P-256 certificates, mutual TLS between
# nodes) and the client sends a client token on every call, as a deployment would. Both clusters
# run at once (base ports 7401 and 7421, temp folders) so the runs can alternate; the one not
# being measured is idle. Needs the jars (./mvnw -pl node,client -am package -DskipTests).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODES=3 LOAD=30s ROUNDS=3 READS=0.5 THREADS=16
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="${2:?}"; shift 2 ;;
    --load) LOAD="${2:?}"; shift 2 ;;
    --rounds) ROUNDS="${2:?}"; shift 2 ;;
    --read-ratio) READS="${2:?}"; shift 2 ;;
    --concurrency) THREADS="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "tls-bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

CLUSTER="$REPO/scripts/cluster.sh"
KV="$REPO/client/bin/kv"
PLAIN=$(mktemp -d /tmp/kv-tls-bench-plain.XXXXXX)
TLS=$(mktemp -d /tmp/kv-tls-bench-tls.XXXXXX)
trap 'KV_CLUSTER_DIR=$PLAIN "$CLUSTER" stop >/dev/null 2>&1 || true
      KV_CLUSTER_DIR=$TLS "$CLUSTER" stop >/dev/null 2>&1 || true
      rm -rf "$PLAIN" "$TLS"' EXIT

addresses() { # base port
  local out="" i
  for i in $(seq 0 $((NODES - 1))); do out+="${out:+,}127.0.0.1:$(($1 + i))"; done
  echo "$out"
}
PLAIN_KV=(--nodes "$(addresses 7401)")
TLS_KV=(--nodes "$(addresses 7421)" --tls-ca "$TLS/tls/ca.crt" --token-file "$TLS/tls/app.token")

echo "== starting a plaintext and a TLS cluster of $NODES nodes"
KV_CLUSTER_DIR=$PLAIN "$CLUSTER" start -n "$NODES" --base-port 7401 | grep ready
KV_CLUSTER_DIR=$TLS "$CLUSTER" start -n "$NODES" --base-port 7421 --tls | grep ready
for opts in PLAIN_KV TLS_KV; do
  declare -n o=$opts
  "$KV" "${o[@]}" bench --keys 100000 --preload --duration 1s --concurrency 32 \
    --key-prefix load: >/dev/null
done

run() { # label kv-options-array-name
  declare -n o=$2
  local out rate p99
  out=$("$KV" "${o[@]}" bench --keys 100000 --read-ratio "$READS" --concurrency "$THREADS" \
    --duration "$LOAD" --warmup 5s --key-prefix load: 2>&1)
  rate=$(echo "$out" | sed -n 's/^throughput: \([0-9.]*\) ops\/s.*/\1/p')
  p99=$(echo "$out" | awk '$1 == "all" { print $5 }')
  [ -n "$rate" ] && [ -n "$p99" ] || { echo "$out" >&2; echo "tls-bench.sh: bench failed" >&2; exit 1; }
  printf '%-10s %10s ops/s   p99 %8s us\n' "$1" "$rate" "$p99"
  echo "$rate $p99" >> "$TLS.$1"
}
echo "== $ROUNDS rounds of $LOAD, read ratio $READS, $THREADS threads (each after a 5 s warm-up)"
for _ in $(seq 1 "$ROUNDS"); do
  run plaintext PLAIN_KV
  run tls TLS_KV
done
mean() { awk -v c="$2" '{ s += $c; n++ } END { printf "%.0f", s / n }' "$1"; }
awk -v tr="$(mean "$TLS.tls" 1)" -v pr="$(mean "$TLS.plaintext" 1)" \
    -v tp="$(mean "$TLS.tls" 2)" -v pp="$(mean "$TLS.plaintext" 2)" 'BEGIN {
  printf "mean: plaintext %d ops/s p99 %d us; tls %d ops/s p99 %d us\n", pr, pp, tr, tp
  printf "tls / plaintext: throughput %.3f, p99 %.3f\n", tr / pr, tp / pp }'
rm -f "$TLS.tls" "$TLS.plaintext"
