#!/usr/bin/env bash
# Builds the "tiny" base image: the Debian kernel plus a ~1 MB busybox initramfs whose /init
# prints a heartbeat to ttyS0 every second and, with novacron.dirty_mib=N on the kernel command
# line, keeps rewriting N MiB of memory (a workload that resists live-migration convergence).
# After `novacron-guest: up`, in the background: when the VM has a virtio NIC (eth0), it asks for
# an address over DHCP (busybox udhcpc), prints `novacron-guest: ip <addr>` to the console and
# runs a TCP echo service on port 7. Without a NIC it behaves exactly as before.
#
# usage: guest-image.sh <images-dir>   -> <images-dir>/tiny/{vmlinuz,initrd.img,cmdline,ready,version}
# Safe to run twice: a complete image of this IMAGE_VERSION is left alone; one without a version
# file or of another version (an older cached build) is rebuilt.
set -euo pipefail

# Bump whenever what the image contains or does changes: cached images of another version are rebuilt
# (and lab.sh recopies the nodes' copies).
IMAGE_VERSION="tiny-2 virtio-net udhcpc echo7"

images=${1:?usage: guest-image.sh <images-dir>}
out="$images/tiny"
if [[ -s "$out/vmlinuz" && -s "$out/initrd.img" && -s "$out/ready" ]] &&
  [[ "$(cat "$out/version" 2>/dev/null)" == "$IMAGE_VERSION" ]]; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The kernel: whatever linux-image-amd64 points at today, unpacked, never installed.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[[ -n "$pkg" ]] || { echo "guest-image: cannot resolve the kernel package of linux-image-amd64" >&2; exit 1; }
(cd "$work" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null)
dpkg-deb -x "$work"/linux-image-*.deb "$work/kernel"

# The initramfs: busybox-static, one /init script, and the modules of a virtio NIC.
root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,run,etc,lib/modules}
cp /bin/busybox "$root/bin/busybox"

# virtio_net and virtio_pci (Debian builds both as modules), with what they depend on, uncompressed
# (busybox insmod reads plain .ko only) and listed in load order in /lib/modules/load-order.
kdir=$(echo "$work"/kernel/lib/modules/*)
[[ -d "$kdir/kernel" ]] || { echo "guest-image: no modules in $pkg" >&2; exit 1; }
module_file() { # module name -> its .ko, .ko.xz or .ko.zst in the package (file names may use - for _)
  local alt=${1//_/-}
  find "$kdir/kernel" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" \
    -o -name "$alt.ko" -o -name "$alt.ko.xz" -o -name "$alt.ko.zst" \) -print -quit
}
module_depends() { # plain .ko -> the names in its depends= field
  if command -v modinfo >/dev/null; then
    modinfo -F depends "$1"
  else
    tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n 1
  fi | tr ',' ' '
}
declare -A have_module=()
load_order=()
add_module() {
  local name=$1 file dep
  [[ -n ${have_module[$name]:-} ]] && return 0
  have_module[$name]=1
  file=$(module_file "$name")
  if [[ -z $file ]]; then
    # Built into this kernel: nothing to load.
    grep -E "/${name//_/[_-]}\.ko\$" "$kdir/modules.builtin" >/dev/null 2>&1 && return 0
    echo "guest-image: module $name not in $pkg" >&2
    exit 1
  fi
  case $file in
    *.xz) xz -dc "$file" ;;
    *.zst) zstd -dcq "$file" ;;
    *) cat "$file" ;;
  esac >"$root/lib/modules/$name.ko"
  for dep in $(module_depends "$root/lib/modules/$name.ko"); do add_module "$dep"; done
  load_order+=("$name")
}
add_module virtio_pci
add_module virtio_net
printf '%s\n' "${load_order[@]}" >"$root/lib/modules/load-order"

# udhcpc's hook: set the leased address (and a route if the server sends one), say it on the console.
cat > "$root/etc/udhcpc.script" <<'SCRIPT'
#!/bin/busybox sh
case "$1" in
  deconfig)
    ip addr flush dev "$interface"
    ip link set "$interface" up
    rm -f /run/udhcpc.ip
    ;;
  bound|renew)
    if [ "$(cat /run/udhcpc.ip 2>/dev/null)" != "$ip" ]; then
      ip addr flush dev "$interface"
      ip addr add "$ip/${mask:-24}" dev "$interface"
      for r in $router; do ip route replace default via "$r" dev "$interface"; break; done
      echo "$ip" > /run/udhcpc.ip
      echo "novacron-guest: ip $ip" > /dev/console
    fi
    ;;
esac
exit 0
SCRIPT
chmod 755 "$root/etc/udhcpc.script"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t tmpfs -o size=90% run /run
dirty=$(sed -n 's/.*novacron\.dirty_mib=\([0-9]*\).*/\1/p' /proc/cmdline)
echo "novacron-guest: up"
# The network, in the background so that nothing above or below waits for it: the NIC's modules;
# with a NIC, the echo service on TCP 7 and an address over DHCP (udhcpc keeps renewing it).
(
  while read -r m; do insmod "/lib/modules/$m.ko" 2>/dev/null; done < /lib/modules/load-order
  i=0
  while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i + 1)); done
  if [ -e /sys/class/net/eth0 ]; then
    ip link set lo up
    ip link set eth0 up
    nc -ll -p 7 -e cat &
    udhcpc -i eth0 -s /etc/udhcpc.script -b -t 60 -T 1 -A 2 >/dev/null 2>&1
  fi
) </dev/null >/dev/null 2>&1 &
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
echo "$IMAGE_VERSION" > "$out.tmp/version"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "guest-image: built $out ($(du -sh "$out" | cut -f1))"
