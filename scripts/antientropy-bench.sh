#!/usr/bin/env bash
# Measures anti-entropy on real local clusters (node processes, real gRPC):
#
#   scripts/antientropy-bench.sh [--keys 1000000] [--diffs "10 1000 100000"] [--load 30s]
#
# Part 1, cost against divergence (2 nodes, N=2, R=W=1, scheduled anti-entropy off so only
# `kv repair` exchanges, no client reads so no read repair, storage.sync=none to load faster):
#   - preload --keys keys (100-byte values) on both replicas;
#   - `kv repair --node n1` of two identical replicas: bytes on the wire and time;
#   - for each D in --diffs: kill -9 n2, rewrite D keys through n1 only, restart n2 (its trees
#     are rebuilt from storage after the unclean stop: the rebuild time of --keys keys,
#     unthrottled here, from its log), then `kv repair --node n1`: wall time to converge, keys
#     repaired, payload bytes; a second repair must find nothing left.
# Part 2, throughput cost under load (3 nodes, N=3, R=W=2, fsync per write): `kv bench` (50%
# reads, 16 threads, --load each) alternately with anti-entropy off and on (an exchange with
# each co-replica every second, every tree rebuilt every 60 s: far busier than the defaults),
# three times each; prints each run and the on/off ratio of the means.
# Uses its own cluster folders (temp dirs) and base ports 7201/7301. Needs the jars
# (./mvnw -pl node,client -am package -DskipTests).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS=1000000
DIFFS="10 1000 100000"
LOAD=30s
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) KEYS="${2:?}"; shift 2 ;;
    --diffs) DIFFS="${2:?}"; shift 2 ;;
    --load) LOAD="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "antientropy-bench.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

CLUSTER="$REPO/scripts/cluster.sh"
KV="$REPO/client/bin/kv"
SUMMARY=$(mktemp /tmp/kv-ae-bench-summary.XXXXXX)
trap 'KV_CLUSTER_DIR="${DIR1:-/nonexistent}" "$CLUSTER" stop >/dev/null 2>&1 || true;
      KV_CLUSTER_DIR="${DIR2:-/nonexistent}" "$CLUSTER" stop >/dev/null 2>&1 || true' EXIT

metric() { # metrics-port name: the value of a series (the node's only one of that name)
  curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" 'index($1, n "{") == 1 || $1 == n {
    print $2; exit }'
}

await_trees() { # metrics-port: seconds until every tree of the node is built
  local t0 built parts
  t0=$(date +%s.%N)
  for _ in $(seq 1 1200); do
    built=$(metric "$1" kv_antientropy_trees_built || true)
    parts=$(metric "$1" kv_antientropy_partitions || true)
    if [ -n "$built" ] && [ -n "$parts" ] && [ "${built%.*}" = "${parts%.*}" ] \
        && [ "${parts%.*}" != 0 ]; then
      break
    fi
    sleep 0.1
  done
  awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}

repair() { # label: runs kv repair --node n1 on cluster 1 and records its totals and wall time
  local out t0 secs
  t0=$(date +%s.%N)
  out=$("$KV" --nodes 127.0.0.1:7201 repair --node n1 2>&1) || true
  secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  echo "$out" | tail -3 | sed "s/^/  [$1] /"
  echo "$1: ${secs} s, $(echo "$out" | tail -1 | sed 's/^total: 1 node (0 failed), //')" \
    >> "$SUMMARY"
}

rebuild_log() { # node: the last trees_rebuilt line of its log (trees, keys, ms)
  grep 'event=trees_rebuilt' "$KV_CLUSTER_DIR/$1/node.log" | tail -1 | sed 's/.*event=trees_rebuilt //'
}

echo "== part 1: cost against divergence ($KEYS keys, 2 nodes)"
DIR1=$(mktemp -d /tmp/kv-ae-bench1.XXXXXX)
export KV_CLUSTER_DIR=$DIR1
export KV_NODE_SETTINGS="cluster.r=1 cluster.w=1 storage.sync=none antientropy.enabled=false
  antientropy.rebuild_keys_per_second=2000000000 antientropy.max_keys_per_second=2000000000
  antientropy.max_kb_per_second=1073741824"
"$CLUSTER" start -n 2 --base-port 7201
t0=$(date +%s)
"$KV" --nodes 127.0.0.1:7201,127.0.0.1:7202 bench --keys "$KEYS" --preload --duration 1s \
  --concurrency 32 --key-prefix ae: >/dev/null
echo "preloaded $KEYS keys in $(( $(date +%s) - t0 )) s" | tee -a "$SUMMARY"
await_trees 9201 >/dev/null
await_trees 9202 >/dev/null
sleep 2 # replication after W=1 acks
repair "after the preload (W=1 writes that did not reach n2)"
repair "identical replicas"
for d in $DIFFS; do
  "$CLUSTER" kill n2 >/dev/null
  "$KV" --nodes 127.0.0.1:7201 bench --keys "$d" --preload --duration 1ms --key-prefix ae: \
    --concurrency 32 >/dev/null
  "$CLUSTER" restart n2 >/dev/null
  await_trees 9202 >/dev/null
  echo "n2 trees rebuilt from storage after kill -9: $(rebuild_log n2)" | tee -a "$SUMMARY"
  repair "$d keys differ"
  repair "$d keys differ, second repair"
done
KV_CLUSTER_DIR=$DIR1 "$CLUSTER" stop >/dev/null

echo "== part 2: throughput cost under load (3 nodes)"
DIR2=$(mktemp -d /tmp/kv-ae-bench2.XXXXXX)
export KV_CLUSTER_DIR=$DIR2
ALL="127.0.0.1:7301,127.0.0.1:7302,127.0.0.1:7303"
run_load() { # label settings
  export KV_NODE_SETTINGS="$2"
  for n in n1 n2 n3; do "$CLUSTER" restart "$n" >/dev/null; done
  await_trees 9301 >/dev/null; await_trees 9302 >/dev/null; await_trees 9303 >/dev/null
  local out rate
  out=$("$KV" --nodes "$ALL" bench --keys 100000 --read-ratio 0.5 --concurrency 16 \
    --duration "$LOAD" --warmup 5s --key-prefix load: 2>&1)
  rate=$(echo "$out" | sed -n 's/^throughput: \([0-9.]*\) ops\/s.*/\1/p')
  echo "$1: $rate ops/s, $(echo "$out" | awk '$1 == "all" { print "p99 " $5 " us" }')" \
    | tee -a "$SUMMARY"
  echo "$rate" >> "$DIR2/$3"
}
export KV_NODE_SETTINGS="antientropy.enabled=false"
"$CLUSTER" start -n 3 --base-port 7301
"$KV" --nodes "$ALL" bench --keys 100000 --preload --duration 1s --concurrency 32 \
  --key-prefix load: >/dev/null
OFF="antientropy.enabled=false"
ON="antientropy.exchange_interval_ms=1000 antientropy.rebuild_interval_ms=60000"
for round in 1 2 3; do
  run_load "anti-entropy off, run $round" "$OFF" off
  run_load "anti-entropy on (1 s exchanges), run $round" "$ON" on
done
mean() { awk '{ s += $1; n++ } END { printf "%.0f", s / n }' "$1"; }
awk -v on="$(mean "$DIR2/on")" -v off="$(mean "$DIR2/off")" 'BEGIN {
  printf "throughput with anti-entropy on / off: %.3f (%d / %d ops/s)\n", on / off, on, off }' \
  | tee -a "$SUMMARY"

echo
echo "== summary"
cat "$SUMMARY"
