#!/usr/bin/env bash
# Measures sloppy quorum and hinted handoff on a real local cluster (5 node processes, N=3,
# R=W=2, fsync per write): write availability and latency while one and then two nodes are
# down, then how fast the hints reach the returning nodes and what that costs a client reading
# from one of them meanwhile.
#
#   scripts/handoff-bench.sh [--phase 20s] [--keys 20000] [--cap-kb 8192]
#
# Phases (each a `kv bench` of --phase, 16 threads, 100-byte values):
#   1. all up, writes            baseline
#   2. n2 killed, writes         every key n2 holds has one primary down
#   3. n2 + n3 killed, writes    keys held by both have two of three primaries down
#   4. n2 + n3 restarted         hints replay to them (capped at --cap-kb KB/s per node) while
#                                a read load runs against n2 only; the drain time, keys/s and
#                                MB/s come from `kv status` polled every second
#   5. after the replay          the same read load on n2, for comparison
# Uses its own cluster folder (a temp dir) and base port 7101, so it does not touch a cluster
# started by scripts/cluster.sh. Needs the jars (./mvnw -pl node,client -am package -DskipTests).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PHASE=20s
KEYS=20000
CAP_KB=8192
while [ $# -gt 0 ]; do
  case "$1" in
    --phase) PHASE="${2:?}"; shift 2 ;;
    --keys) KEYS="${2:?}"; shift 2 ;;
    --cap-kb) CAP_KB="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "handoff-bench.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

export KV_CLUSTER_DIR="${KV_CLUSTER_DIR:-$(mktemp -d /tmp/kv-handoff-bench.XXXXXX)}"
export KV_NODE_SETTINGS="handoff.max_kb_per_second=$CAP_KB"
CLUSTER="$REPO/scripts/cluster.sh"
KV="$REPO/client/bin/kv"
ALL="127.0.0.1:7101,127.0.0.1:7102,127.0.0.1:7103,127.0.0.1:7104,127.0.0.1:7105"
trap '"$CLUSTER" stop >/dev/null 2>&1 || true' EXIT

"$CLUSTER" start -n 5 --base-port 7101

bench() { # label nodes read-ratio duration
  local out
  out=$("$KV" --nodes "$2" bench --keys "$KEYS" --read-ratio "$3" --concurrency 16 \
    --duration "$4" --key-prefix handoff: --seed 7 2>&1)
  echo "$out" | sed "s/^/  [$1] /"
  local ops err p99
  ops=$(echo "$out" | sed -n 's/^throughput: \([0-9.]*\) ops\/s (\([0-9]*\) ops.*), \([0-9]*\) errors/\1 \2 \3/p')
  p99=$(echo "$out" | awk '$1 == "all" { print $5 }')
  read -r rate count err <<< "$ops"
  printf '%-34s %10s ops/s  ok %6.2f%%  p99 %8s us\n' "$1" "$rate" \
    "$(awk -v c="$count" -v e="$err" 'BEGIN { print (c + e) ? 100 * c / (c + e) : 0 }')" "$p99" \
    >> "$KV_CLUSTER_DIR/summary"
}

queued() { # undelivered hints over every node (kv status asks each member)
  "$KV" --nodes "$ALL" status 2>/dev/null | awk '
    /^hinted handoff/ { on = 1; next }
    on && $2 != "TARGET" && $3 ~ /^[0-9]+$/ { n += $3 }
    END { print n + 0 }'
}

delivered() { # hints and bytes delivered since start over every node: "count bytes"
  "$KV" --nodes "$ALL" status 2>/dev/null | awk '
    / delivered [0-9]+ \([0-9]+ bytes\)/ {
      for (i = 1; i <= NF; i++) if ($i == "delivered") { c += $(i + 1); b += substr($(i + 2), 2) }
    }
    END { print c + 0, b + 0 }'
}

: > "$KV_CLUSTER_DIR/summary"
echo "== preload and baseline"
"$KV" --nodes "$ALL" bench --keys "$KEYS" --preload --duration 1s --key-prefix handoff: >/dev/null
bench "1 all up, writes" "$ALL" 0 "$PHASE"

echo "== n2 killed"
"$CLUSTER" kill n2
sleep 6
bench "2 n2 down, writes" "$ALL" 0 "$PHASE"

echo "== n3 killed too"
"$CLUSTER" kill n3
sleep 6
bench "3 n2+n3 down, writes" "$ALL" 0 "$PHASE"
pending=$(queued)
echo "hints queued for n2 and n3: $pending"
"$KV" --nodes 127.0.0.1:7101 status 2>/dev/null | sed -n '/^hinted handoff/,$p'

echo "== n2 and n3 restarted: replay, with reads against n2"
read -r before_count before_bytes <<< "$(delivered)"
start=$(date +%s.%N)
"$CLUSTER" restart n2 >/dev/null
"$CLUSTER" restart n3 >/dev/null
bench "4 replaying, reads on n2 only" "127.0.0.1:7102" 1 "$PHASE" &
reader=$!
left=$pending
for _ in $(seq 1 600); do
  left=$(queued)
  [ "$left" -eq 0 ] && break
  sleep 1
done
drained=$(date +%s.%N)
wait "$reader"
read -r after_count after_bytes <<< "$(delivered)"
secs=$(awk -v a="$start" -v b="$drained" 'BEGIN { printf "%.1f", b - a }')
count=$((after_count - before_count))
bytes=$((after_bytes - before_bytes))
{
  echo "hints queued after phase 3: $pending; left after replay: $left"
  echo "replay: $count hints, $bytes bytes in $secs s (from the first restart to empty queues):"
  awk -v c="$count" -v b="$bytes" -v s="$secs" -v cap="$CAP_KB" 'BEGIN {
    printf "  %.0f keys/s, %.2f MB/s (cap %d KB/s per node)\n", c / s, b / s / 1048576, cap }'
} >> "$KV_CLUSTER_DIR/summary"
bench "5 after replay, reads on n2 only" "127.0.0.1:7102" 1 "$PHASE"

echo
echo "== summary (cluster folder: $KV_CLUSTER_DIR)"
cat "$KV_CLUSTER_DIR/summary"
