#!/usr/bin/env bash
# Drain benchmark: the orchestration cost of draining one node that holds many VMs. Starts the
# control plane (embedded PostgreSQL, Temporal's test server) and N host agents on libvirt's test
# driver in one JVM, provisions the VMs through the REST API, drains the first node with a
# DrainNode run, checks that every VM runs exactly once off it, and writes docs/bench/drain.md and
# drain.json (see the report for what is real and what is simulated).
#
#   starter/scripts/bench-drain.sh [--nodes N] [--vms N] [--parallel N] [--out DIR]
#
# Defaults: 20 nodes, 200 VMs, 8 moves at once. MVN_FLAGS defaults to offline (-o).
set -euo pipefail
cd "$(dirname "$0")/../.."

nodes=20 vms=200 parallel=8 out="$PWD/docs/bench"
while [[ $# -gt 0 ]]; do
  case $1 in
    --nodes) nodes=$2; shift 2 ;;
    --vms) vms=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: $0 [--nodes N] [--vms N] [--parallel N] [--out DIR]" >&2; exit 64 ;;
  esac
done
command -v qemu-img >/dev/null || { echo "bench-drain: needs qemu-img (apt-get install qemu-utils)" >&2; exit 69; }

mvn -B -q ${MVN_FLAGS--o} -pl web-ui -am test -Dtest=DrainScaleBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dnovacron.bench.nodes="$nodes" -Dnovacron.bench.vms="$vms" -Dnovacron.bench.parallel="$parallel" \
  -Dnovacron.bench.out="$out"
echo "wrote $out/drain.md"
