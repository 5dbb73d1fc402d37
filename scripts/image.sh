#!/usr/bin/env bash
# Builds the kvstore node image from this checkout, without any image registry (README.md
# "Container image and Kubernetes"):
#
#   scripts/image.sh [--rebuild-jars] [IMAGE]      default IMAGE: kvstore:local
#
#   1. the base image ($KV_BASE_IMAGE, default kvstore-base:local): made by
#      scripts/build-base-image.sh when missing (the builder the fault suite uses: Debian
#      minbase and a jlink'd Java runtime; needs root and debootstrap). Another base (any image
#      with Java 21+, groupadd and useradd, e.g. eclipse-temurin:21-jre) is used as given.
#   2. node/target/kvstore-node.jar and client/target/kv.jar: built with the Maven wrapper when
#      missing, or always with --rebuild-jars (after changing the code).
#   3. docker build of deploy/docker/Dockerfile with those jars.
#
# The image runs the node as user 10001 with /etc/kvstore/node.yaml (a one-node default), data in
# /var/lib/kvstore, ports 7000 (gRPC), 7001 (metrics), 7002 (health), JVM options from
# $KV_JAVA_OPTS, and has the kv tool on its PATH.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_JAR="$REPO/node/target/kvstore-node.jar"
KV_JAR="$REPO/client/target/kv.jar"
BASE="${KV_BASE_IMAGE:-kvstore-base:local}"

die() { echo "image.sh: $*" >&2; exit 1; }
usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

rebuild=""
IMAGE="kvstore:local"
case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --rebuild-jars) rebuild=1; shift ;;
  -*) echo "image.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "image.sh: one IMAGE at most, got: $*" >&2; usage >&2; exit 2; }
IMAGE="${1:-$IMAGE}"

command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the docker engine is not running (start dockerd)"

echo "[1/3] base image $BASE"
if [ "$BASE" = kvstore-base:local ]; then
  "$REPO/scripts/build-base-image.sh" "$BASE" 2>&1 | sed 's/^/      /' \
    || die "the base image could not be built (see above)"
elif docker image inspect "$BASE" >/dev/null 2>&1; then
  echo "      $BASE exists"
else
  echo "      $BASE is not here: docker build will pull it from a registry"
fi

echo "[2/3] node and kv jars"
if [ -n "$rebuild" ] || [ ! -f "$NODE_JAR" ] || [ ! -f "$KV_JAR" ]; then
  start=$SECONDS
  # shellcheck source=find-java.sh
  . "$REPO/scripts/find-java.sh"
  kv_find_java
  (cd "$REPO" && ./mvnw -q -B -pl node,client -am package -DskipTests) \
    || die "build failed; run: ./mvnw -pl node,client -am package -DskipTests"
  echo "      built in $((SECONDS - start)) s"
else
  echo "      using $NODE_JAR and $KV_JAR (built $(date -r "$NODE_JAR" '+%F %T'); --rebuild-jars rebuilds them)"
fi

echo "[3/3] docker build $IMAGE"
CTX="$(mktemp -d "${TMPDIR:-/tmp}/kvstore-image.XXXXXX")"
trap 'rm -rf "$CTX"' EXIT
cp "$REPO"/deploy/docker/* "$NODE_JAR" "$KV_JAR" "$CTX/"
start=$SECONDS
docker build --build-arg "BASE=$BASE" -t "$IMAGE" "$CTX" > "$CTX/build.log" 2>&1 \
  || { tail -30 "$CTX/build.log" >&2; die "docker build failed"; }
echo "      done in $((SECONDS - start)) s ($(docker image inspect "$IMAGE" --format '{{.Size}}' \
  | awk '{printf "%d MB", $1/1048576}'))"
echo "image $IMAGE ready: README.md \"Container image and Kubernetes\" runs one node and three"
echo "(TLS certificates and tokens from scripts/tls-certs.sh, mounted into /etc/kvstore)"
