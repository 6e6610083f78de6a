#!/usr/bin/env bash
# make-certs.sh OUTDIR [--server-name=NAME]... [--nodes=a,b,...] [--node-san=NODE=ADDR]... [--days=N] [--force]
#
# A private CA and mTLS certificates for a self-hosted Temporal and the NovaCron processes:
#
#   OUTDIR/ca.pem, ca.key                        the CA (keep ca.key off the fleet)
#   OUTDIR/server.pem, server.key                Temporal frontend and internode (server+client auth)
#   OUTDIR/control-plane.pem, control-plane.key  client cert of the control plane
#   OUTDIR/node-<name>.pem, node-<name>.key      cert of each node's agents: client of Temporal,
#                                                and both ends of the transfer engine's mutual TLS
#                                                (NOVACRON_TRANSFER_TLS_CERT/_KEY, with _CA=ca.pem);
#                                                with --node-san=<name>=<IP or DNS name> (repeatable)
#                                                it names the node's address too, and then also
#                                                serves as the node's libvirt and QEMU certificate
#                                                (libvirtd's TLS listener and migration --tls,
#                                                docs/security.md)
#
# Keys are EC P-256 in PKCS#8 PEM ("BEGIN PRIVATE KEY"), which both Temporal (Go) and the Java
# SDK (SimpleSslContextBuilder.forPKCS8) read. The server certificate names temporal, localhost,
# 127.0.0.1 and every --server-name (a DNS name, or an IP address).
#
# Idempotent: files that exist are kept (the CA too, so running again with --nodes=new-node
# signs only the new node's certificate with the same CA); --force makes everything anew. A node
# certificate from before the transfer engine's TLS (clientAuth only) is reissued with the same CA.
# Needs only openssl.
set -euo pipefail

die() { printf 'make-certs: %s\n' "$*" >&2; exit 1; }
say() { printf 'make-certs: %s\n' "$*"; }

OUT=
NODES=
DAYS=825
FORCE=0
SERVER_NAMES=(temporal localhost 127.0.0.1)
declare -A NODE_SANS=() # node name -> "IP:a,DNS:b"
san_of() { if [[ $1 =~ ^[0-9.]+$ || $1 == *:* ]]; then echo "IP:$1"; else echo "DNS:$1"; fi; }
for arg in "$@"; do
  case $arg in
    --server-name=*) SERVER_NAMES+=("${arg#--server-name=}") ;;
    --node-san=*=*)
      v=${arg#--node-san=}
      NODE_SANS[${v%%=*}]+="${NODE_SANS[${v%%=*}]:+,}$(san_of "${v#*=}")" ;;
    --node-san=*) die "--node-san wants NODE=ADDRESS, e.g. --node-san=node-1=10.0.0.11" ;;
    --nodes=*) NODES=${arg#--nodes=} ;;
    --days=*) DAYS=${arg#--days=} ;;
    --force) FORCE=1 ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$arg' (see --help)" ;;
    *) [[ -z $OUT ]] || die "one output directory only"; OUT=$arg ;;
  esac
done
[[ -n $OUT ]] || die "usage: make-certs.sh OUTDIR [--server-name=NAME]... [--nodes=a,b] [--days=N] [--force]"
[[ $DAYS =~ ^[0-9]+$ ]] || die "--days must be a number"
for node in "${!NODE_SANS[@]}"; do
  [[ ,$NODES, == *",$node,"* ]] || die "--node-san names node '$node', which --nodes does not list"
done
command -v openssl >/dev/null || die "openssl is missing (apt-get install openssl)"

umask 077
mkdir -p "$OUT"
chmod 700 "$OUT"
OUT=$(cd "$OUT" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fresh() { # file: true when it must be (re)made
  ((FORCE)) || [[ ! -s $1 ]]
}

key() { # path
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
  chmod 600 "$1"
}

if fresh "$OUT/ca.pem" || fresh "$OUT/ca.key"; then
  key "$OUT/ca.key"
  openssl req -x509 -new -key "$OUT/ca.key" -sha256 -days "$((DAYS + 365))" \
    -subj "/O=NovaCron/CN=NovaCron Temporal CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$OUT/ca.pem"
  say "made the CA"
  FORCE=1 # a new CA invalidates every certificate signed by the old one
fi

issue() { # name, common name, extended key usage, subjectAltName or ""
  local name=$1 cn=$2 eku=$3 san=$4
  fresh "$OUT/$name.pem" || fresh "$OUT/$name.key" || return 0
  key "$OUT/$name.key"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -z $san ]] || echo "subjectAltName=$san"
  } >"$TMP/$name.ext"
  openssl req -new -key "$OUT/$name.key" -subj "/O=NovaCron/CN=$cn" -out "$TMP/$name.csr"
  openssl x509 -req -in "$TMP/$name.csr" -CA "$OUT/ca.pem" -CAkey "$OUT/ca.key" \
    -CAcreateserial -CAserial "$OUT/ca.srl" -days "$DAYS" -sha256 \
    -extfile "$TMP/$name.ext" -out "$OUT/$name.pem" 2>/dev/null
  chmod 644 "$OUT/$name.pem"
  openssl verify -CAfile "$OUT/ca.pem" "$OUT/$name.pem" >/dev/null || die "$name.pem does not verify"
  say "made $name.pem ($cn)"
}

sans=()
for n in "${SERVER_NAMES[@]}"; do
  sans+=("$(san_of "$n")")
done
issue server temporal "serverAuth,clientAuth" "$(IFS=,; echo "${sans[*]}")"
issue control-plane novacron-control-plane clientAuth ""
IFS=, read -r -a nodes <<<"$NODES"
for node in "${nodes[@]}"; do
  [[ $node =~ ^[a-z][a-z0-9-]{0,62}$ ]] || die "node name '$node' is not lower-case letters, digits and '-'"
  # A node is a TLS server (receiving transfers) as well as a client: older certificates lack serverAuth.
  if [[ -s $OUT/node-$node.pem ]] && ! openssl x509 -in "$OUT/node-$node.pem" -noout -ext extendedKeyUsage 2>/dev/null \
    | grep -q 'TLS Web Server Authentication'; then
    rm -f "$OUT/node-$node.pem"
    say "node-$node.pem lacks serverAuth (the transfer engine's receiver needs it): reissuing"
  fi
  # libvirt and QEMU check the address a peer dialled against the certificate's names.
  san=${NODE_SANS[$node]:-}
  if [[ -n $san && -s $OUT/node-$node.pem ]]; then
    names=$(openssl x509 -in "$OUT/node-$node.pem" -noout -ext subjectAltName 2>/dev/null | tail -n +2 |
      sed 's/IP Address:/IP:/g; s/ //g')
    if [[ $names != "$san" ]]; then
      rm -f "$OUT/node-$node.pem"
      say "node-$node.pem names '${names:-nothing}', not '$san': reissuing"
    fi
  fi
  issue "node-$node" "novacron-node-$node" "serverAuth,clientAuth" "$san"
done
chmod 644 "$OUT/ca.pem"
say "certificates in $OUT (keys 0600; copy ca.pem and one cert/key pair to each machine)"
