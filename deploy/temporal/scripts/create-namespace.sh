#!/bin/sh
# create-namespace.sh [NAMESPACE]: make sure the NovaCron namespace exists with the wanted
# retention. Idempotent: creates it when missing, otherwise sets its retention (so changing
# NOVACRON_RETENTION and re-running converges). Needs the Temporal CLI (1.x) on PATH.
#
# Settings (environment), all read by the Temporal CLI itself except the first two:
#   NOVACRON_NAMESPACE   novacron   (or the first argument)
#   NOVACRON_RETENTION   30d        how long closed workflow histories are kept
#   TEMPORAL_ADDRESS     127.0.0.1:7233
#   TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY / TEMPORAL_TLS_CA / TEMPORAL_TLS_SERVER_NAME   for mTLS
#   TEMPORAL_API_KEY     for Temporal Cloud API-key auth (Cloud namespaces are created in the
#                        Cloud console or tcld, not here)
set -eu

ns=${1:-${NOVACRON_NAMESPACE:-novacron}}
retention=${NOVACRON_RETENTION:-30d}
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"

say() { printf 'create-namespace: %s\n' "$*"; }

# The server may still be starting (compose, systemd): wait up to a minute.
i=0
until temporal operator cluster health >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -ge 60 ]; then
    say "Temporal at $TEMPORAL_ADDRESS is not healthy after 60 s" >&2
    exit 1
  fi
  sleep 1
done

if temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  # Right after a create the frontend's namespace cache may not know it yet: retry a while.
  i=0
  until temporal operator namespace update --namespace "$ns" --retention "$retention" >/dev/null 2>&1; do
    i=$((i + 1))
    if [ "$i" -ge 30 ]; then
      say "namespace $ns exists but its retention could not be set to $retention:" >&2
      temporal operator namespace update --namespace "$ns" --retention "$retention" >&2
      exit 1
    fi
    sleep 1
  done
  say "namespace $ns exists; retention set to $retention"
elif temporal operator namespace create --namespace "$ns" --retention "$retention" \
  --description "NovaCron orchestration" >/dev/null 2>&1; then
  say "namespace $ns created with retention $retention"
elif temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  # Created by someone else between our describe and create.
  say "namespace $ns exists"
else
  say "could not create namespace $ns on $TEMPORAL_ADDRESS:" >&2
  temporal operator namespace create --namespace "$ns" --retention "$retention" >&2
  exit 1
fi
