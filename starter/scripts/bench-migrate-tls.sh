#!/usr/bin/env bash
# bench-migrate-tls.sh [ROUNDS]: what TLS costs a live migration in the lab (docs/migration.md
# "Agent setting"). A diskless guest (the tiny image's kernel and initrd, 256 MiB, TCG) moves
# a->b->a with virsh, plain (qemu+tcp, no --tls) and TLS (qemu+tls and --tls) alternating in each
# round, so that both see the same machine load; prints each move (wall time of the virsh call,
# libvirt's elapsed time and downtime, data processed) and the medians. Brings the lab up and
# down; needs root and takes the lab, so run it under `flock -o /work/lab.lock` where it is shared.
# Figures on a shared machine are indicative: compare the two modes of the same run only.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
LAB_SH=$ROOT/starter/scripts/lab.sh
LAB=${NOVACRON_LAB_DIR:-/var/lib/novacron/lab}
ROUNDS=${1:-4}
VM=tlsbench
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "bench-migrate-tls: ROUNDS must be a positive number" >&2; exit 64; }

"$LAB_SH" up >/dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"; "$LAB_SH" down >/dev/null 2>&1 || true' EXIT

# Per node: its own kernel, initrd and console paths (the daemons share one filesystem).
for n in a b; do
  cat >"$TMP/$n.xml" <<X
<domain type='qemu'><name>$VM</name><uuid>6e6f7661-0000-4000-8000-00000000b019</uuid>
<memory unit='MiB'>256</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type><kernel>$LAB/$n/node/images/tiny/vmlinuz</kernel>
<initrd>$LAB/$n/node/images/tiny/initrd.img</initrd><cmdline>console=ttyS0 quiet</cmdline></os>
<devices><serial type='file'><source path='$LAB/$n/node/consoles/$VM.log'/></serial>
<memballoon model='none'/></devices></domain>
X
done
virsh -c "$("$LAB_SH" uri a)" create "$TMP/a.xml" >/dev/null
sleep 10 # let it boot: an idle guest, not one still loading its initrd

field() { awk -F: -v k="$1" '$1 == k { gsub(/ ms|MiB| /, "", $2); print $2 }'; }
move() { # from to mode
  local from=$1 to=$2 mode=$3 dest flags=() t0 t1 info
  dest="qemu+tcp://$("$LAB_SH" uri "$to" --tls | sed 's#^qemu+tls://##')"
  if [[ $mode == tls ]]; then dest=$("$LAB_SH" uri "$to" --tls); flags=(--tls); fi
  t0=$(date +%s%N)
  virsh -c "$("$LAB_SH" uri "$from")" migrate --live --p2p "${flags[@]}" --xml "$TMP/$to.xml" "$VM" "$dest" >/dev/null
  t1=$(date +%s%N)
  info=$(virsh -c "$("$LAB_SH" uri "$to")" domjobinfo "$VM" --completed)
  printf '%-5s %s->%s wall_ms=%d elapsed_ms=%s downtime_ms=%s processed_mib=%s\n' "$mode" "$from" "$to" \
    $(((t1 - t0) / 1000000)) "$(field 'Time elapsed' <<<"$info")" "$(field 'Total downtime' <<<"$info")" \
    "$(field 'Data processed' <<<"$info")"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq 1 "$ROUNDS"); do
  for mode in plain tls; do
    move a b "$mode"
    move b a "$mode"
  done
done | tee "$TMP/moves"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$TMP/moves" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'(\w+) .* wall_ms=(\d+) elapsed_ms=(\d+) downtime_ms=(\d+)', line)
    if m:
        rows.setdefault(m[1], []).append([int(x) for x in m.groups()[1:]])
for mode, r in rows.items():
    med = [statistics.median(c) for c in zip(*r)]
    print(f"median {mode:5} of {len(r)}: wall {med[0]:.0f} ms, libvirt elapsed {med[1]:.0f} ms, downtime {med[2]:.0f} ms")
PY
virsh -c "$("$LAB_SH" uri a)" destroy "$VM" >/dev/null 2>&1 || virsh -c "$("$LAB_SH" uri b)" destroy "$VM" >/dev/null 2>&1 || true
