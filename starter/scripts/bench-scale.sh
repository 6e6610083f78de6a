#!/usr/bin/env bash
# Provisioning scale benchmark: N ProvisionVm runs sent at once through the REST API onto M host
# agents on libvirt's test driver (no guests), all in one JVM with the control plane and
# Temporal's in-process test server. Fails unless every run SUCCEEDED and every VM runs on exactly
# one node; writes docs/bench/scale.md and scale.json (runs/s, end-to-end p50/p95, heap, CPU,
# Temporal history size).
#
#   starter/scripts/bench-scale.sh [--nodes N] [--vms N] [--senders N] [--out DIR] [--cluster]
#
# Defaults: 50 nodes, 500 VMs, 50 client threads. MVN_FLAGS defaults to offline (-o).
# --cluster: Temporal is the real server of `novacron cluster up` (which must be running: four
# processes on PostgreSQL, mutual TLS) instead of the in-process test server; the benchmark's
# namespace provision-scale is created there first. Writes scale-cluster.md and .json instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

nodes=50 vms=500 senders=50 out="$PWD/docs/bench" cluster=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --vms) vms=$2; shift 2 ;;
    --senders) senders=$2; shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --cluster) cluster=1; shift ;;
    *) echo "usage: $0 [--nodes N] [--vms N] [--senders N] [--out DIR] [--cluster]" >&2; exit 64 ;;
  esac
done

temporal=()
if ((cluster)); then
  starter/scripts/cluster.sh status >/dev/null || { echo "bench-scale: the cluster is not up: novacron cluster up" >&2; exit 69; }
  # The cluster's Temporal address and mTLS client settings, for the temporal CLI and the benchmark's JVM.
  eval "$(starter/scripts/cluster.sh env)"
  temporal operator namespace describe --namespace provision-scale >/dev/null 2>&1 \
    || temporal operator namespace create --namespace provision-scale --retention 24h
  temporal=(-Dnovacron.test.temporal="$NOVACRON_TEMPORAL")
fi

mvn -B -q ${MVN_FLAGS--o} -pl web-ui -am test -Dtest=ProvisionScaleBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnovacron.bench.nodes="$nodes" -Dnovacron.bench.vms="$vms" -Dnovacron.bench.senders="$senders" \
  -Dnovacron.bench.out="$out" "${temporal[@]}"
echo "wrote $out/scale$( ((cluster)) && echo -cluster).md"
