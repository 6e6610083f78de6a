#!/usr/bin/env bash
# Builds the "tiny" base image: the Debian kernel plus a ~1 MB busybox initramfs whose /init
# prints a heartbeat to ttyS0 every second and, with novacron.dirty_mib=N on the kernel command
# line, keeps rewriting N MiB of memory (a workload that resists live-migration convergence).
#
# usage: guest-image.sh <images-dir>      -> <images-dir>/tiny/{vmlinuz,initrd.img,cmdline,ready}
# Safe to run twice: an image that is already complete is left alone.
set -euo pipefail

images=${1:?usage: guest-image.sh <images-dir>}
out="$images/tiny"
if [[ -s "$out/vmlinuz" && -s "$out/initrd.img" && -s "$out/ready" ]]; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The kernel: whatever linux-image-amd64 points at today, unpacked, never installed.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[[ -n "$pkg" ]] || { echo "guest-image: cannot resolve the kernel package of linux-image-amd64" >&2; exit 1; }
(cd "$work" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null)
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"

# The initramfs: busybox-static and one /init script.
root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,run}
cp /bin/busybox "$root/bin/busybox"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs -o size=90% run /run
dirty=$(sed -n 's/.*novacron\.dirty_mib=\([0-9]*\).*/\1/p' /proc/cmdline)
echo "novacron-guest: up"
if [ -n "$dirty" ] && [ "$dirty" -gt 0 ]; then
  echo "novacron-guest: dirtying ${dirty} MiB"
  dd if=/dev/urandom of=/run/a bs=1M count="$dirty" 2>/dev/null
  ( while :; do cp /run/a /run/b; cp /run/b /run/a; done ) &
fi
n=0
while :; do
  n=$((n + 1))
  echo "novacron-guest: heartbeat $n"
  sleep 1
done
INIT
chmod 755 "$root/init"
mkdir -p "$out.tmp"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$out.tmp/initrd.img"
cp "$work"/kernel/boot/vmlinuz-* "$out.tmp/vmlinuz"
echo "console=ttyS0 quiet panic=-1" > "$out.tmp/cmdline"
# The line the host agent waits for in the console log before it calls a guest running.
echo "novacron-guest: up" > "$out.tmp/ready"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "guest-image: built $out ($(du -sh "$out" | cut -f1))"
