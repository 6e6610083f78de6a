#!/usr/bin/env bash
# Boots a built cloud image the way a node would (direct kernel boot, a qcow2 overlay of
# disk.qcow2 as virtio vda) but with plain QEMU, no libvirt, and a NoCloud seed ISO; then logs in
# over SSH with a fresh key and asserts that the hostname is the seed's local-hostname.
# Exits non-zero on any failure and prints the timings (QEMU start to the ready line, to the
# first successful SSH login).
#
# usage: image-check.sh <images-dir> [debian-12]
# Settings (environment):
#   NOVACRON_CHECK_ACCEL    tcg        kvm where /dev/kvm works (the timings in docs are TCG)
#   NOVACRON_CHECK_TIMEOUT  600        seconds to wait for the ready line and for SSH
#   NOVACRON_CHECK_PORT     (a free one)  the host port forwarded to the guest's port 22
#   NOVACRON_CHECK_KEEP=1   keep the work folder (console.log, overlay, key) afterwards
set -euo pipefail

die() { printf 'image-check: FAIL: %s\n' "$*" >&2; exit 1; }
say() { printf 'image-check: %s\n' "$*"; }

images=${1:?usage: image-check.sh <images-dir> [debian-12]}
name=${2:-debian-12}
img=$(cd "$images/$name" 2>/dev/null && pwd) || die "no image folder $images/$name"
accel=${NOVACRON_CHECK_ACCEL:-tcg}
timeout=${NOVACRON_CHECK_TIMEOUT:-600}
user=debian
host=probe-host
for f in disk.qcow2 vmlinuz initrd.img cmdline ready; do
  [[ -s $img/$f ]] || die "$img/$f is missing (build it: starter/scripts/image-build.sh $images $name)"
done
for tool in qemu-system-x86_64 qemu-img xorriso ssh ssh-keygen; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install qemu-system-x86 qemu-utils xorriso openssh-client)"
done
ready=$(sed -n '/[^[:space:]]/{p;q}' "$img/ready")

work=$(mktemp -d /tmp/image-check.XXXXXX)
qemu_pid=
cleanup() {
  [[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
  if [[ ${NOVACRON_CHECK_KEEP:-0} == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() {
  printf 'image-check: FAIL: %s\n' "$*" >&2
  echo "---- last lines of the guest console ($work/console.log) ----" >&2
  tail -n 40 "$work/console.log" 2>/dev/null | tr -d '\r' >&2 || true
  exit 1
}

port=${NOVACRON_CHECK_PORT:-}
if [[ -z $port ]]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi

# The seed: what a node will hand a VM (an SSH key and a hostname), as a NoCloud cidata ISO.
ssh-keygen -q -t ed25519 -N '' -C image-check -f "$work/key"
cat >"$work/meta-data" <<EOF
instance-id: iid-image-check-$(date +%s)
local-hostname: $host
public-keys:
  - $(cat "$work/key.pub")
EOF
printf '#cloud-config\n{}\n' >"$work/user-data"
xorriso -as mkisofs -quiet -output "$work/seed.iso" -volid cidata -joliet -rock \
  "$work/meta-data" "$work/user-data" 2>/dev/null || die "xorriso could not write the seed ISO"
qemu-img create -q -f qcow2 -b "$img/disk.qcow2" -F qcow2 "$work/overlay.qcow2" 4G

say "booting $name under $accel (ssh port $port, timeout ${timeout}s)"
start=$(date +%s.%N)
qemu-system-x86_64 -machine q35 -accel "$accel" -m 1024 -smp 2 -display none -monitor none \
  -kernel "$img/vmlinuz" -initrd "$img/initrd.img" -append "$(head -n1 "$img/cmdline")" \
  -drive file="$work/overlay.qcow2",if=virtio -drive file="$work/seed.iso",media=cdrom \
  -netdev user,id=n0,hostfwd=tcp:127.0.0.1:"$port"-:22 -device virtio-net-pci,netdev=n0 \
  -serial file:"$work/console.log" >"$work/qemu.log" 2>&1 &
qemu_pid=$!

elapsed() { awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
SSH=(ssh -i "$work/key" -p "$port" -o BatchMode=yes -o StrictHostKeyChecking=no
  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 "$user@127.0.0.1")
t_ready= t_ssh= got=
while [[ -z $t_ready || -z $t_ssh ]]; do
  kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU exited: $(tail -3 "$work/qemu.log")"
  if (( $(date +%s) - ${start%.*} >= timeout )); then
    [[ -z $t_ready ]] && fail "no ready line '$ready' on the console within ${timeout}s"
    fail "no SSH login as $user within ${timeout}s (the ready line came after ${t_ready}s)"
  fi
  if [[ -z $t_ready ]] && grep -aqF "$ready" "$work/console.log" 2>/dev/null; then
    t_ready=$(elapsed)
    say "ready line '$ready' after ${t_ready}s"
  fi
  if [[ -z $t_ssh ]] && got=$("${SSH[@]}" hostname 2>/dev/null); then
    t_ssh=$(elapsed)
    say "first SSH login as $user after ${t_ssh}s"
  fi
  [[ -n $t_ready && -n $t_ssh ]] || sleep 1
done

[[ $got == "$host" ]] || fail "the guest's hostname is '$got', not the seed's '$host'"
# What else a node relies on: its own machine-id, a grown root filesystem, sudo for the user.
"${SSH[@]}" 'test -s /etc/machine-id && sudo -n true' || fail "no machine-id, or no sudo for $user"
rootsize=$("${SSH[@]}" "df -BM --output=size / | tail -1 | tr -d ' '")
cistatus=$("${SSH[@]}" "cloud-init status --long 2>/dev/null | sed -n 's/^status: //p'")
[[ $cistatus == done ]] || fail "cloud-init status is '$cistatus', not done (errors: $("${SSH[@]}" 'cloud-init status --long' 2>&1 | tail -5))"
say "OK: hostname $got, root filesystem $rootsize, cloud-init $cistatus;" \
  "boot-to-ready ${t_ready}s, boot-to-ssh ${t_ssh}s ($accel)"
