#!/usr/bin/env bash
# cluster-smoke.sh: the cluster end to end, by hand (not in CI: building the Temporal server
# takes about five minutes). Brings `novacron cluster up` up, creates one VM through each
# control-plane replica (libvirt's test driver, `vm create --watch` through the Java CLI: a
# ProvisionVm workflow on the four-process Temporal server), checks that both replicas list both
# VMs and both runs SUCCEEDED, shows `cluster status`, deletes the VMs and brings the cluster
# down. Exit 0 only when every check passed. docs/deploy.md has a recorded run.
#
#   cluster-smoke.sh [--keep]     --keep: leave the cluster (and the VMs) up afterwards
#
# Settings: those of starter/scripts/cluster.sh (NOVACRON_CLUSTER_DIR, ports, ...).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
CLUSTER=$ROOT/starter/scripts/cluster.sh
KEEP=0
for arg in "$@"; do
  case $arg in
    --keep) KEEP=1 ;;
    *) echo "cluster-smoke: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
DATA=${NOVACRON_DATA_DIR:-/var/lib/novacron}
export NOVACRON_CLUSTER_DIR=${NOVACRON_CLUSTER_DIR:-$DATA/cluster}
read -r -a HTTP_PORTS <<<"${NOVACRON_CLUSTER_HTTP_PORTS:-8181 8182}"
FAILED=0
say() { printf 'cluster-smoke: %s\n' "$*"; }
ok() { printf 'cluster-smoke: ok   %s\n' "$*"; }
bad() { printf 'cluster-smoke: FAIL %s\n' "$*"; FAILED=1; }
cli() { # replica number, CLI arguments...: the Java CLI against that replica, the cluster's token
  local n=$1; shift
  NOVACRON_DATA_DIR=$NOVACRON_CLUSTER_DIR java -jar "$ROOT/starter/target/novacron-starter-0.1.0-SNAPSHOT-exec.jar" \
    "$@" --api="http://127.0.0.1:${HTTP_PORTS[$((n - 1))]}"
}
finish() {
  if ((KEEP)); then say "left up (--keep): novacron cluster down"; else "$CLUSTER" down; fi
}
trap finish EXIT

started=$(date +%s)
"$CLUSTER" up
say "cluster up in $(($(date +%s) - started)) s"

suffix=$(date +%H%M%S)
vms=()
for n in 1 2; do
  vm=smoke-$n-$suffix
  vms+=("$vm")
  t0=$(date +%s%N)
  if cli "$n" vm create --name="$vm" --vcpus=1 --memory-mib=128 --disk-gib=1 --image=tiny --watch; then
    ok "vm create $vm through replica $n ($(((($(date +%s%N) - t0) / 1000000))) ms, --watch until done)"
  else
    bad "vm create $vm through replica $n"
  fi
done

for n in 1 2; do
  listed=$(cli "$n" vm list -o json || true)
  for vm in "${vms[@]}"; do
    grep -q "\"name\":\"$vm\"" <<<"${listed//[[:space:]]/}" && ok "replica $n lists $vm" || bad "replica $n does not list $vm"
  done
  runs=$(curl -fsS -H "Authorization: Bearer $(cat "$NOVACRON_CLUSTER_DIR/admin-token")" \
    "http://127.0.0.1:${HTTP_PORTS[$((n - 1))]}/api/v1/runs?type=ProvisionVm&size=200" || true)
  for vm in "${vms[@]}"; do
    python3 -c 'import json,sys; r=[x for x in json.loads(sys.argv[1]) if x.get("subject")==sys.argv[2]]; sys.exit(0 if r and r[0]["state"]=="SUCCEEDED" else 1)' \
      "${runs:-[]}" "$vm" && ok "replica $n: the ProvisionVm run of $vm SUCCEEDED" || bad "replica $n: no SUCCEEDED ProvisionVm run for $vm"
  done
done

"$CLUSTER" status || bad "cluster status reports a process or service down"

if ((!KEEP)); then
  for n in 1 2; do cli "$n" vm delete "${vms[$((n - 1))]}" --watch >/dev/null 2>&1 || say "note: deleting ${vms[$((n - 1))]} failed"; done
fi
((FAILED == 0)) && say "all checks passed" || say "some checks failed"
exit "$FAILED"
