#!/usr/bin/env bash
# Runs a local kvstore cluster: N real node processes on 127.0.0.1, each with its own port,
# data directory, config and log under one folder.
#
#   scripts/cluster.sh start [-n 3] [--base-port 7001] [--tls]
#                                                        build what is missing, start, wait;
#                                                        --tls: a local CA, node certificates and
#                                                        tokens in <dir>/tls (default: plaintext)
#   scripts/cluster.sh stop                              SIGTERM (graceful), then SIGKILL
#   scripts/cluster.sh status                            processes, ports, cluster view
#   scripts/cluster.sh kill NODE                         SIGKILL one node (e.g. n2)
#   scripts/cluster.sh restart NODE                      stop (graceful) and start one node
#   scripts/cluster.sh logs NODE [-f]                    print (or follow) a node's log
#
# Environment: KV_CLUSTER_DIR (default: <repo>/cluster), KV_NODE_HEAP (default 256m),
# KV_NODE_SETTINGS (extra node settings for every node, "key=value key=value"),
# KV_JAVA_OPTS (JVM options for every node, e.g. "-XX:+UseParallelGC"; default -XX:+UseSerialGC).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${KV_CLUSTER_DIR:-$REPO/cluster}"
HEAP="${KV_NODE_HEAP:-256m}"
NODE_JAR="$REPO/node/target/kvstore-node.jar"
KV_JAR="$REPO/client/target/kv.jar"

# shellcheck source=find-java.sh
. "$REPO/scripts/find-java.sh"

die() { echo "cluster.sh: $*" >&2; exit 1; }

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

nodes() {
  [ -d "$DIR" ] || return 0
  find "$DIR" -mindepth 1 -maxdepth 1 -type d -name 'n*' -printf '%f\n' | sort -V
}

pid_of() { cat "$DIR/$1/pid" 2>/dev/null || true; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
port_of() { sed -n 's/^listen: *127.0.0.1:\([0-9]*\)/\1/p' "$DIR/$1/node.yaml"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
TLS_DIR="$DIR/tls"
tls_on() { [ -f "$TLS_DIR/ca.crt" ]; }
# The kv options of this cluster: TLS and the operator's token when it was started with --tls.
kv_opts() {
  if tls_on; then echo "--tls-ca $TLS_DIR/ca.crt --token-file $TLS_DIR/$1.token"; fi
}

build_if_missing() {
  if [ ! -f "$NODE_JAR" ] || [ ! -f "$KV_JAR" ]; then
    echo "building node and kv jars (first run; takes a minute or two)..."
    (cd "$REPO" && ./mvnw -q -B -pl node,client -am package -DskipTests) ||
      die "build failed; run: ./mvnw -pl node,client -am package -DskipTests"
  fi
}

write_config() { # id port metrics members replicas
  mkdir -p "$DIR/$1/data"
  local security=""
  if tls_on; then
    "$REPO/scripts/tls-certs.sh" node "$TLS_DIR" "$1" "IP:127.0.0.1,DNS:localhost" >/dev/null
    security="tls:
  cert: $TLS_DIR/$1.crt
  key: $TLS_DIR/$1.key
  ca: $TLS_DIR/ca.crt
auth:
  tokens_file: $TLS_DIR/tokens"
  fi
  cat > "$DIR/$1/node.yaml" <<YAML
node_id: $1
listen: 127.0.0.1:$2
metrics_port: $3
data_dir: $DIR/$1/data
cluster:
  n: $5
  members:
$4
$security
YAML
}

start_node() {
  local id=$1
  alive "$id" && { echo "$id already running (pid $(pid_of "$id"))"; return 0; }
  local extra=() kv
  for kv in ${KV_NODE_SETTINGS:-}; do extra+=(--set "$kv"); done
  # shellcheck disable=SC2086 # KV_JAVA_OPTS is a list of options
  nohup "$JAVA_HOME/bin/java" "-Xmx$HEAP" ${KV_JAVA_OPTS:--XX:+UseSerialGC} \
    --enable-native-access=ALL-UNNAMED -jar "$NODE_JAR" \
    --config "$DIR/$id/node.yaml" "${extra[@]}" >> "$DIR/$id/node.log" 2>&1 &
  echo $! > "$DIR/$id/pid"
}

wait_ready() {
  local id=$1 port deadline
  port=$(port_of "$id")
  deadline=$((SECONDS + 60))
  until port_open "$port"; do
    alive "$id" || die "$id exited during start-up; see: scripts/cluster.sh logs $id"
    [ $SECONDS -lt $deadline ] || die "$id did not open port $port within 60 s"
    sleep 0.2
  done
  echo "  $id ready on 127.0.0.1:$port (pid $(pid_of "$id"))"
}

cmd_start() {
  local n=3 base=7001 tls=""
  while [ $# -gt 0 ]; do
    case "$1" in
      -n) n="${2:?-n needs a number}"; shift 2 ;;
      --base-port) base="${2:?--base-port needs a number}"; shift 2 ;;
      --tls) tls=1; shift ;;
      *) die "start: unknown option '$1' (use -n N, --base-port P, --tls)" ;;
    esac
  done
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 32 ] || die "-n must be 1..32, got '$n'"
  kv_find_java
  build_if_missing
  if [ -n "$(nodes)" ]; then
    local existing; existing=$(nodes | wc -l)
    [ "$existing" -eq "$n" ] || die "$DIR already holds a $existing-node cluster; stop it and remove the folder to change its size"
    if [ -n "$tls" ] && ! tls_on; then
      die "$DIR holds a plaintext cluster; stop it and remove the folder to start one with --tls"
    fi
  elif [ -n "$tls" ]; then
    echo "making a local CA, node certificates and tokens in $TLS_DIR"
    "$REPO/scripts/tls-certs.sh" ca "$TLS_DIR" >/dev/null
    "$REPO/scripts/tls-certs.sh" token "$TLS_DIR" admin operator >/dev/null
    "$REPO/scripts/tls-certs.sh" token "$TLS_DIR" app client >/dev/null
  fi
  local members="" i
  for i in $(seq 1 "$n"); do
    members+="    - {id: n$i, address: 127.0.0.1:$((base + i - 1))}"$'\n'
  done
  local replicas=$(( n < 3 ? n : 3 ))
  echo "starting $n nodes in $DIR"
  for i in $(seq 1 "$n"); do
    [ -f "$DIR/n$i/node.yaml" ] || write_config "n$i" $((base + i - 1)) $((base + 2000 + i - 1)) "${members%$'\n'}" "$replicas"
    start_node "n$i"
  done
  for i in $(seq 1 "$n"); do wait_ready "n$i"; done
  local opts; opts=$(kv_opts app)
  echo "cluster up$(tls_on && echo " (TLS; tokens: $TLS_DIR/app.token client, $TLS_DIR/admin.token operator)"). try:"
  echo "  client/bin/kv --nodes 127.0.0.1:$base ${opts:+$opts }put greeting hello"
  echo "  client/bin/kv --nodes 127.0.0.1:$base ${opts:+$opts }get greeting"
}

stop_node() {
  local id=$1 p
  p=$(pid_of "$id")
  alive "$id" || { rm -f "$DIR/$id/pid"; return 0; }
  kill -TERM "$p"
  for _ in $(seq 1 75); do alive "$id" || break; sleep 0.2; done
  if alive "$id"; then
    echo "  $id did not stop within 15 s; killing" >&2
    kill -KILL "$p" || true
  fi
  rm -f "$DIR/$id/pid"
  echo "  $id stopped"
}

cmd_stop() {
  local id
  for id in $(nodes); do stop_node "$id"; done
}

cmd_status() {
  [ -n "$(nodes)" ] || { echo "no cluster in $DIR (start one with: scripts/cluster.sh start)"; return 1; }
  local id port first=""
  printf '%-5s %-8s %-7s %s\n' NODE PID PORT STATE
  for id in $(nodes); do
    port=$(port_of "$id")
    if alive "$id"; then
      if port_open "$port"; then state=serving; first=${first:-$port}; else state=starting; fi
      printf '%-5s %-8s %-7s %s\n' "$id" "$(pid_of "$id")" "$port" "$state"
    else
      printf '%-5s %-8s %-7s %s\n' "$id" - "$port" stopped
    fi
  done
  if [ -n "$first" ] && [ -f "$KV_JAR" ]; then
    echo
    # shellcheck disable=SC2046 # kv_opts is a list of options
    "$REPO/client/bin/kv" --nodes "127.0.0.1:$first" $(kv_opts admin) status || true
  fi
}

need_node() {
  [ -n "${1:-}" ] || die "which node? e.g. n1"
  [ -f "$DIR/$1/node.yaml" ] || die "no node '$1' in $DIR (nodes: $(nodes | tr '\n' ' '))"
}

cmd_kill() {
  need_node "${1:-}"
  alive "$1" || die "$1 is not running"
  kill -KILL "$(pid_of "$1")"
  rm -f "$DIR/$1/pid"
  echo "$1 killed (SIGKILL)"
}

cmd_restart() {
  need_node "${1:-}"
  kv_find_java
  stop_node "$1"
  start_node "$1"
  wait_ready "$1"
}

cmd_logs() {
  need_node "${1:-}"
  if [ "${2:-}" = "-f" ]; then tail -f "$DIR/$1/node.log"; else cat "$DIR/$1/node.log"; fi
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:-}" ;;
  restart) cmd_restart "${2:-}" ;;
  logs) cmd_logs "${2:-}" "${3:-}" ;;
  -h|--help|help) usage ;;
  "") usage; exit 1 ;;
  *) echo "cluster.sh: unknown command '$1'" >&2; usage >&2; exit 1 ;;
esac
