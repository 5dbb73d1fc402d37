#!/usr/bin/env bash
# Builds the local Docker base image for node containers (used by the fault-injection suite)
# without any image registry: Debian bookworm minbase via debootstrap (from Debian's package
# mirror) with iptables, iproute2 and procps, plus a Java runtime made with jlink from the
# build JDK, imported with `docker import`.
#
#   scripts/build-base-image.sh [IMAGE]      default IMAGE: kvstore-base:local
#
# Idempotent: does nothing when the image exists (set KV_REBUILD_BASE=1 to rebuild).
# Needs root (debootstrap), docker, debootstrap, and a JDK 21+ with jmods (jlink).
# Users with a registry can skip this and use -Dkv.baseImage=eclipse-temurin:21-jre.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${1:-kvstore-base:local}"

# The Debian mirror this machine's apt uses (first URI of the bookworm sources), unless given.
apt_mirror() {
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true
    grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' || true
  } | { grep -v -e security -e '^$' || true; } | head -n 1
}
MIRROR="${KV_DEBIAN_MIRROR:-$(apt_mirror)}"

# shellcheck source=find-java.sh
. "$REPO/scripts/find-java.sh"

die() { echo "build-base-image: $*" >&2; exit 1; }

command -v docker >/dev/null || die "docker is not installed"
docker info >/dev/null 2>&1 || die "the docker engine is not running (start dockerd)"
if [ -z "${KV_REBUILD_BASE:-}" ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE exists"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "debootstrap needs root"
command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
[ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt; set KV_DEBIAN_MIRROR"
kv_find_java
[ -d "$JAVA_HOME/jmods" ] || [ -f "$JAVA_HOME/lib/modules" ] || die "$JAVA_HOME has no jmods for jlink"

WORK="$(mktemp -d /var/tmp/kvstore-base.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"

echo "[1/3] debootstrap bookworm (minbase + iptables, iproute2, procps) from $MIRROR"
start=$SECONDS
debootstrap --variant=minbase --include=iptables,iproute2,procps bookworm "$ROOTFS" "$MIRROR" \
  > "$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
echo "      done in $((SECONDS - start)) s"

echo "[2/3] jlink a Java runtime from $JAVA_HOME"
start=$SECONDS
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.crypto.ec,jdk.unsupported,jdk.management,jdk.httpserver,jdk.jfr,jdk.jcmd,jdk.attach,java.desktop \
  --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
  --output "$ROOTFS/opt/java"
rm -rf "$ROOTFS/var/cache/apt/archives/"*.deb "$ROOTFS/var/lib/apt/lists/"*
echo "      done in $((SECONDS - start)) s ($(du -sh "$ROOTFS/opt/java" | cut -f1))"

echo "[3/3] docker import as $IMAGE"
tar -C "$ROOTFS" -c . | docker import \
  -c 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'ENV JAVA_HOME=/opt/java' - "$IMAGE" >/dev/null
echo "base image $IMAGE ready ($(docker image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%d MB", $1/1048576}'))"
