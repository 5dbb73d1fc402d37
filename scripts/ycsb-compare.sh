#!/usr/bin/env bash
# YCSB, kvstore against Apache Cassandra 5.0, same driver, same machine, one system at a time.
#
#   scripts/ycsb-compare.sh [options]
#
# For each topology (1 node: N=1 R=W=1 against Cassandra RF=1 ONE; 3 nodes: N=3 R=W=2 against
# RF=3 QUORUM) and each system: start it, load the records (YCSB load phase), warm up, run
# workloads A (50/50 read/update), B (95/5), C (read only) and write-only (inserts of new keys)
# for a fixed time each with 64 threads (1 node: also with 1 thread), stop it. Then print one
# table per topology (ops/s, read and write p99, ratios kvstore / Cassandra) and write
# comparison.tsv and comparison.md under the output directory (raw YCSB outputs in raw/).
#
# Options:
#   --records N        records loaded (default 100000; 1 field of --field-length bytes)
#   --field-length B   bytes per field (default 100)
#   --duration S       seconds per measured run (default 30)
#   --warmup S         seconds of workload B, not measured, after the load (default 10; 0 = none)
#   --threads T        YCSB client threads (default 64)
#   --single-thread yes|no   1-node topology: also run every workload with 1 thread (default yes)
#   --topologies LIST  comma-separated node counts, 1 and/or 3 (default 1,3)
#   --workloads LIST   comma-separated, of a,b,c,write (default a,b,c,write)
#   --systems LIST     comma-separated, of kvstore,cassandra (default kvstore,cassandra)
#   --durability MODE  periodic: kvstore sync periodic:10000, Cassandra commitlog_sync periodic
#                      10000 ms (default); fsync: kvstore sync group, Cassandra commitlog_sync
#                      batch (fsync before every acknowledgement, concurrent writers share it)
#   --heap SIZE        -Xmx of every server JVM, both systems (default 1g)
#   --kv-gc OPTIONS    kvstore nodes' GC options (default -XX:+UseZGC, generational on JDK 23+,
#                      add -XX:+ZGenerational on 21-22; its pauses stay under a millisecond, where
#                      -XX:+UseSerialGC, scripts/cluster.sh's default, pauses 10-30 ms per young
#                      collection at this load); Cassandra keeps its stock G1 options
#                      (bench/.../ycsb/CassandraJvm.java)
#   --base-port P      first kvstore port (default 17001; Cassandra uses 7000 and 9042)
#   --out DIR          output directory (default bench/target/ycsb-DATE-TIME)
#
# Needs a JDK 21+ (kvstore, YCSB; found like scripts/find-java.sh) and a JDK 17 (Cassandra 5.0;
# /usr/lib/jvm/*17*). Builds the jars and fetches Cassandra's classpath when missing. Data lives
# in a temporary directory, deleted at the end. On a shared machine, wrap it:
#   flock /tmp/kv-docker.lock scripts/ycsb-compare.sh
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_JAR="$REPO/bench/target/benchmarks.jar"
NODE_JAR="$REPO/node/target/kvstore-node.jar"
KV_JAR="$REPO/client/target/kv.jar"
CASS_CP="$REPO/bench/cassandra/target/classpath.txt"
WORKLOADS_DIR="$REPO/bench/ycsb/workloads"

RECORDS=100000 FIELD_LENGTH=100 DURATION=30 WARMUP=10 THREADS=64 SINGLE=yes
TOPOLOGIES=1,3 WORKLOADS=a,b,c,write SYSTEMS=kvstore,cassandra DURABILITY=periodic HEAP=1g
BASE_PORT=17001 OUT="" KV_GC="-XX:+UseZGC"

# shellcheck source=find-java.sh
. "$REPO/scripts/find-java.sh"

die() { echo "ycsb-compare.sh: $*" >&2; exit 1; }
usage() { sed -n '2,37p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
T0=$SECONDS
log() { printf '[%s +%dm%02ds] %s\n' "$(date +%H:%M:%S)" $(((SECONDS - T0) / 60)) $(((SECONDS - T0) % 60)) "$*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --records) RECORDS="${2:?}"; shift 2 ;;
    --field-length) FIELD_LENGTH="${2:?}"; shift 2 ;;
    --duration) DURATION="${2:?}"; shift 2 ;;
    --warmup) WARMUP="${2:?}"; shift 2 ;;
    --threads) THREADS="${2:?}"; shift 2 ;;
    --single-thread) SINGLE="${2:?}"; shift 2 ;;
    --topologies) TOPOLOGIES="${2:?}"; shift 2 ;;
    --workloads) WORKLOADS="${2:?}"; shift 2 ;;
    --systems) SYSTEMS="${2:?}"; shift 2 ;;
    --durability) DURABILITY="${2:?}"; shift 2 ;;
    --heap) HEAP="${2:?}"; shift 2 ;;
    --kv-gc) KV_GC="${2:?}"; shift 2 ;;
    --base-port) BASE_PORT="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for n in "$RECORDS" "$FIELD_LENGTH" "$DURATION" "$WARMUP" "$THREADS" "$BASE_PORT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a number: '$n'"
done
case "$DURABILITY" in
  periodic) KV_SYNC="periodic:10000"; CASS_SYNC="periodic:10000" ;;
  fsync) KV_SYNC="group"; CASS_SYNC="batch" ;;
  *) die "--durability must be periodic or fsync, got '$DURABILITY'" ;;
esac
for t in ${TOPOLOGIES//,/ }; do [[ "$t" == 1 || "$t" == 3 ]] || die "topologies are 1 and 3, got '$t'"; done
wl_file() { if [ "$1" = write ]; then echo workload-write; else echo "workload$1"; fi; }
for w in ${WORKLOADS//,/ }; do [ -f "$WORKLOADS_DIR/$(wl_file "$w")" ] || die "no workload '$w'"; done

# --- tools: JDK 21+ for kvstore and YCSB, JDK 17 for Cassandra, jars, Cassandra's classpath ---
kv_find_java
JAVA="$JAVA_HOME/bin/java"
JDK17=""
for c in $(ls -d /usr/lib/jvm/*17*/ 2>/dev/null | sort -rV); do
  if [ -x "$c/bin/java" ] && [ "$(kv_java_major "$c/bin/java")" = 17 ]; then JDK17="${c%/}"; break; fi
done
[[ ",$SYSTEMS," != *,cassandra,* ]] || [ -n "$JDK17" ] ||
  die "Cassandra 5.0 needs a JDK 17 (none under /usr/lib/jvm); e.g. apt-get install openjdk-17-jdk-headless"

if [ ! -f "$NODE_JAR" ] || [ ! -f "$KV_JAR" ] || [ ! -f "$BENCH_JAR" ] ||
   ! unzip -l "$BENCH_JAR" 'io/kvstore/bench/ycsb/KvStoreYcsbClient.class' >/dev/null 2>&1; then
  log "building node, kv and benchmarks jars (a few minutes the first time)"
  (cd "$REPO" && ./mvnw -q -B -pl node,client,bench -am package -DskipTests) || die "build failed"
fi
if [[ ",$SYSTEMS," == *,cassandra,* ]] && [ ! -s "$CASS_CP" ]; then
  log "resolving Cassandra's classpath (bench/cassandra/pom.xml; downloads ~100 jars the first time)"
  (cd "$REPO" && ./mvnw -q -B -f bench/cassandra/pom.xml dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt) || die "could not resolve cassandra-all"
fi

OUT="${OUT:-$REPO/bench/target/ycsb-$(date +%Y%m%d-%H%M%S)}"
RAW="$OUT/raw"
mkdir -p "$RAW"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ycsb-compare.XXXXXX")"
RUNNING=""  # "kvstore DIR" or "cassandra DIR" while a system is up

stop_system() {
  [ -n "$RUNNING" ] || return 0
  local sys=${RUNNING%% *} dir=${RUNNING#* }
  log "stopping $sys"
  if [ "$sys" = kvstore ]; then
    KV_CLUSTER_DIR="$dir" "$REPO/scripts/cluster.sh" stop || true
  else
    "$JAVA" -cp "$BENCH_JAR" io.kvstore.bench.ycsb.CassandraPeer stop --dir "$dir" || true
  fi
  RUNNING=""
}
cleanup() { stop_system; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

start_kvstore() { # nodes
  local n=$1 dir="$WORK/kvstore-$1node" i
  for i in $(seq 0 $((n - 1))); do
    port_free 127.0.0.1 $((BASE_PORT + i)) ||
      die "port $((BASE_PORT + i)) is in use (someone else's node?); pick another with --base-port"
  done
  log "starting kvstore, $n node(s), sync $KV_SYNC, -Xmx$HEAP $KV_GC"
  RUNNING="kvstore $dir"
  KV_CLUSTER_DIR="$dir" KV_NODE_HEAP="$HEAP" KV_NODE_SETTINGS="storage.sync=$KV_SYNC" \
    KV_JAVA_OPTS="$KV_GC" \
    "$REPO/scripts/cluster.sh" start -n "$n" --base-port "$BASE_PORT" >/dev/null
  for i in $(seq 1 "$n"); do
    kill -0 "$(cat "$dir/n$i/pid")" 2>/dev/null || die "kvstore n$i is not running; see $dir/n$i/node.log"
  done
  local nodes="" q=$(( n == 1 ? 1 : 2 ))
  for i in $(seq 0 $((n - 1))); do nodes+="${nodes:+,}127.0.0.1:$((BASE_PORT + i))"; done
  DB=io.kvstore.bench.ycsb.KvStoreYcsbClient
  DB_PROPS=(-p "kvstore.nodes=$nodes" -p "kvstore.r=$q" -p "kvstore.w=$q")
}

start_cassandra() { # nodes
  local n=$1 dir="$WORK/cassandra-$1node" i points
  for i in $(seq 1 "$n"); do
    port_free "127.0.0.$i" 9042 && port_free "127.0.0.$i" 7000 ||
      die "127.0.0.$i:9042 or :7000 is in use (another Cassandra?)"
  done
  log "starting cassandra, $n node(s), commitlog_sync $CASS_SYNC, -Xmx$HEAP, JDK $JDK17"
  RUNNING="cassandra $dir"
  points=$("$JAVA" -cp "$BENCH_JAR" io.kvstore.bench.ycsb.CassandraPeer start --dir "$dir" \
    --nodes "$n" --java "$JDK17" --classpath-file "$CASS_CP" --heap "$HEAP" --sync "$CASS_SYNC" \
    --fields 1 2> >(grep -v '^WARNING\|^SLF4J\|^$' >&2) | tail -n 1) || die "cassandra did not start"
  local cl=QUORUM
  if [ "$n" = 1 ]; then cl=ONE; fi
  DB=io.kvstore.bench.ycsb.CassandraYcsbClient
  DB_PROPS=(-p "cassandra.contactpoints=$points" -p "cassandra.readconsistency=$cl"
    -p "cassandra.writeconsistency=$cl")
}

ycsb() { # phase(-load|-t) workload threads outfile [extra -p ...]
  local phase=$1 wl=$2 threads=$3 out=$4; shift 4
  "$JAVA" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$BENCH_JAR" site.ycsb.Client "$phase" \
    -db "$DB" -P "$WORKLOADS_DIR/$(wl_file "$wl")" -threads "$threads" -s \
    -p "recordcount=$RECORDS" -p fieldcount=1 -p "fieldlength=$FIELD_LENGTH" \
    -p measurementtype=hdrhistogram -p status.interval=10 "${DB_PROPS[@]}" "$@" \
    > "$out" 2> "${out%.*}.log" || { tail -n 20 "${out%.*}.log" >&2; die "YCSB failed: $out"; }
  awk -F', ' '/^\[OVERALL\], Throughput/ { printf "    %.0f ops/s", $3 }
              /99thPercentileLatency/ && !/CLEANUP/ { printf ", %s p99 %.1f ms", $1, $3 / 1000 }
              END { print "" }' "$out"
}

run_system() { # system nodes
  local sys=$1 n=$2 tag="$2node" t w k
  "start_$sys" "$n"
  log "$sys $tag: loading $RECORDS records with $THREADS threads"
  # YCSB stops a loading thread at its first failed insert, which leaves the rest of that
  # thread's records missing for every later read; retry a failed insert instead (YCSB counts it
  # as failed only when every try failed).
  ycsb -load a "$THREADS" "$RAW/$tag.$sys.load.t$THREADS.out" \
    -p core_workload_insertion_retry_limit=3 -p core_workload_insertion_retry_interval=1
  if [ "$WARMUP" -gt 0 ]; then
    log "$sys $tag: warm-up, workload b, ${WARMUP} s (not measured)"
    ycsb -t b "$THREADS" "$WORK/warmup.$sys.$tag.txt" -p operationcount=2000000000 \
      -p "maxexecutiontime=$WARMUP" >/dev/null
  fi
  local thread_counts="$THREADS"
  if [ "$n" = 1 ] && [ "$SINGLE" = yes ] && [ "$THREADS" != 1 ]; then thread_counts="$THREADS 1"; fi
  k=0
  for t in $thread_counts; do
    for w in ${WORKLOADS//,/ }; do
      log "$sys $tag: workload $w, $t thread(s), ${DURATION} s"
      # Each write-only run inserts keys of its own range (YCSB inserts from recordcount on):
      # new keys, never a loaded one nor one of an earlier write-only run.
      local extra=()
      if [ "$w" = write ]; then extra=(-p "recordcount=$((RECORDS + k * 100000000))"); k=$((k + 1)); fi
      ycsb -t "$w" "$t" "$RAW/$tag.$sys.$w.t$t.out" -p operationcount=2000000000 \
        -p "maxexecutiontime=$DURATION" "${extra[@]}"
    done
  done
  stop_system
}

log "output: $OUT (records $RECORDS x 1 field of $FIELD_LENGTH B, $DURATION s per run, durability $DURABILITY, heap $HEAP)"
cat > "$OUT/settings.txt" <<EOF
date: $(date -u +%Y-%m-%dT%H:%M:%SZ)
records: $RECORDS, 1 field of $FIELD_LENGTH bytes; duration: $DURATION s per run; warm-up: $WARMUP s (workload b)
threads: $THREADS (1-node topology also 1: $SINGLE); workloads: $WORKLOADS; topologies: $TOPOLOGIES
durability: $DURABILITY (kvstore storage.sync=$KV_SYNC; Cassandra commitlog_sync $CASS_SYNC)
heap: -Xmx$HEAP per server JVM; kvstore GC: $KV_GC; kvstore on $("$JAVA" -version 2>&1 | head -n 1); Cassandra on ${JDK17:-none}
machine: $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg)
EOF
for n in ${TOPOLOGIES//,/ }; do
  for sys in ${SYSTEMS//,/ }; do run_system "$sys" "$n"; done
done
log "done; tables:"
"$JAVA" -cp "$BENCH_JAR" io.kvstore.bench.ycsb.YcsbComparison "$RAW" "$OUT"
echo
echo "settings: $OUT/settings.txt; tables: $OUT/comparison.md, $OUT/comparison.tsv; raw: $RAW"
