#!/usr/bin/env bash
# Makes the credentials of a kvstore cluster with openssl: a cluster CA, node certificates signed
# by it, and client bearer tokens (README.md "Security").
#
#   scripts/tls-certs.sh ca DIR                        DIR/ca.crt + DIR/ca.key (kept if present)
#   scripts/tls-certs.sh node DIR NAME SAN[,SAN...]    DIR/NAME.crt + DIR/NAME.key, signed by the CA
#                                                      SANs as openssl writes them: DNS:kv-0.kv,IP:127.0.0.1
#   scripts/tls-certs.sh token DIR NAME ROLE           DIR/NAME.token (the secret, for the client)
#                                                      and a line "NAME ROLE sha256:HEX" appended to
#                                                      DIR/tokens (the node's auth.tokens_file)
#
# Keys are EC P-256 in PKCS#8 PEM ("BEGIN PRIVATE KEY", what the node reads), mode 0600. Node
# certificates serve and call (extended key usages serverAuth and clientAuth), valid 825 days;
# the CA 10 years. ROLE is client (KvStore service, node info) or operator (also the Admin
# service's GetLocalVersions and Repair).
set -euo pipefail

die() { echo "tls-certs.sh: $*" >&2; exit 2; }
usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

command -v openssl >/dev/null || die "openssl is not installed (apt-get install openssl)"

make_ca() { # dir
  local dir=$1
  mkdir -p "$dir"
  if [ -f "$dir/ca.crt" ] && [ -f "$dir/ca.key" ]; then
    echo "CA exists: $dir/ca.crt"
    return
  fi
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key")
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/CN=kvstore cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.crt" 2>/dev/null
  echo "made CA $dir/ca.crt"
}

make_node() { # dir name sans
  local dir=$1 name=$2 sans=$3
  [ -f "$dir/ca.crt" ] && [ -f "$dir/ca.key" ] || die "no CA in $dir: run '$0 ca $dir' first"
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || die "name '$name': use letters, digits, '.', '_', '-'"
  [[ "$sans" =~ ^(DNS|IP):[^,]+(,(DNS|IP):[^,]+)*$ ]] \
    || die "SANs '$sans': a comma-separated list of DNS:name or IP:address"
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key")
  local ext
  ext=$(mktemp)
  printf '%s\n' "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$sans" > "$ext"
  openssl req -new -key "$dir/$name.key" -subj "/CN=$name" 2>/dev/null \
    | openssl x509 -req -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -sha256 \
        -days 825 -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$ext"
  echo "made node certificate $dir/$name.crt ($sans)"
}

make_token() { # dir name role
  local dir=$1 name=$2 role=$3
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || die "name '$name': use letters, digits, '.', '_', '-'"
  case "$role" in client|operator) ;; *) die "role '$role': client or operator" ;; esac
  mkdir -p "$dir"
  if [ -f "$dir/tokens" ] && awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' "$dir/tokens"; then
    die "a token named '$name' is already in $dir/tokens"
  fi
  local token hash
  token="kvt_$(openssl rand -hex 24)"
  hash=$(printf '%s' "$token" | openssl dgst -sha256 -r | cut -d' ' -f1)
  (umask 077 && printf '%s\n' "$token" > "$dir/$name.token")
  printf '%s %s sha256:%s\n' "$name" "$role" "$hash" >> "$dir/tokens"
  echo "made $role token $dir/$name.token (listed in $dir/tokens)"
}

case "${1:-}" in
  ca) [ $# -eq 2 ] || { usage >&2; exit 2; }; make_ca "$2" ;;
  node) [ $# -eq 4 ] || { usage >&2; exit 2; }; make_node "$2" "$3" "$4" ;;
  token) [ $# -eq 4 ] || { usage >&2; exit 2; }; make_token "$2" "$3" "$4" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
