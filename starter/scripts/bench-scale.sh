#!/usr/bin/env bash
# Provisioning scale benchmark: N ProvisionVm runs sent at once through the REST API onto M host
# agents on libvirt's test driver (no guests), all in one JVM with the control plane and
# Temporal's in-process test server. Fails unless every run SUCCEEDED and every VM runs on exactly
# one node; writes docs/bench/scale.md and scale.json (runs/s, end-to-end p50/p95, heap, CPU,
# Temporal history size).
#
#   starter/scripts/bench-scale.sh [--nodes N] [--vms N] [--senders N] [--out DIR]
#
# Defaults: 50 nodes, 500 VMs, 50 client threads. MVN_FLAGS defaults to offline (-o).
set -euo pipefail
cd "$(dirname "$0")/../.."

nodes=50 vms=500 senders=50 out="$PWD/docs/bench"
while [[ $# -gt 0 ]]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --vms) vms=$2; shift 2 ;;
    --senders) senders=$2; shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: $0 [--nodes N] [--vms N] [--senders N] [--out DIR]" >&2; exit 64 ;;
  esac
done

mvn -B -q ${MVN_FLAGS--o} -pl web-ui -am test -Dtest=ProvisionScaleBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnovacron.bench.nodes="$nodes" -Dnovacron.bench.vms="$vms" -Dnovacron.bench.senders="$senders" \
  -Dnovacron.bench.out="$out"
echo "wrote $out/scale.md"
