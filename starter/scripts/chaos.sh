#!/usr/bin/env bash
# chaos.sh: the chaos matrix on the real stack and the two-node lab (docs/bench/chaos.md).
#
#   novacron chaos [--cases=all|ci|<id>[,<id>...]] [--cancel-rounds=N] [--out=FILE.md]
#
# For modes live (the disk pre-copied), live-mirror (the disk left to libvirt's mirror), warm and cold it kills (SIGKILL) each of: the source host agent, the target host
# agent, the control plane, the Temporal dev server, the source libvirtd and the target libvirtd, at
# each of: disk pre-copy (live), the source stopping the guest (warm's save, cold's shutdown),
# half-way through the transfer, right after the switch-over, verify and source clean-up. For a
# provisioning (at prepare-storage, define, start, verify), a power-off (inside its grace) and a
# power-on (at start, verify) on lab-a, it kills lab-a's agent, lab-a's libvirtd, the control plane
# and Temporal. It restarts what it killed with the command that started it, and cancels at each
# step too. Then it checks each case with virsh, qemu-img, the guest's console and the REST API.
# Defaults: --cases=all, --cancel-rounds=10, --out=docs/bench/chaos.md. Case ids look like
# live/source-agent/transfer-50% or provision/agent/start (a prefix selects several: live/cancel,
# power-on). Needs root; takes about 80 minutes for every case. The lab must not be in use by
# anything else meanwhile.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
CASES=all
ROUNDS=10
OUT=$ROOT/docs/bench/chaos.md
for arg in "$@"; do
  case $arg in
    --cases=*) CASES=${arg#--cases=} ;;
    --cancel-rounds=*) ROUNDS=${arg#--cancel-rounds=} ;;
    --out=*) OUT=$(readlink -f "${arg#--out=}") ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "chaos.sh: unknown argument '$arg' (see --help)" >&2; exit 64 ;;
  esac
done
[[ $(id -u) == 0 ]] || { echo "chaos.sh: the lab needs root" >&2; exit 1; }
cd "$ROOT"
# Builds every jar the stack runs (the control plane and the host agent are not dependencies of
# starter), then runs ChaosIT alone (no other test).
exec mvn -B -pl web-ui,activities-host,starter -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ChaosIT -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dchaos.cases="$CASES" -Dchaos.cancelRounds="$ROUNDS" -Dchaos.report="$OUT"
