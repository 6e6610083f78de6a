#!/usr/bin/env bash
# Builds a real Debian 12 (bookworm) cloud image from Debian packages, offline from anything but a
# Debian mirror: debootstrap into a cache folder, configure it for a cloud guest (cloud-init with
# the NoCloud datasource, sshd with keys only, a serial console), then fill an ext4 filesystem
# image from that folder with `mkfs.ext4 -d` (no loop mount, no root partition table) and
# convert it to a compressed qcow2.
#
# usage: image-build.sh <images-dir> [debian-12]
#   -> <images-dir>/debian-12/{disk.qcow2, vmlinuz, initrd.img, cmdline, ready}
#
# The image boots its kernel directly (root=/dev/vda, the VM's overlay of disk.qcow2) and prints
# "novacron-guest: up" on ttyS0 once cloud-init's final stage is done and sshd runs. The SSH key
# and hostname come from a NoCloud seed (meta-data `public-keys`, `local-hostname`); the login
# user is cloud-init's Debian default user, `debian`. See docs/images.md.
#
# Safe to run twice: a complete image is left alone; the debootstrap tree in the cache is reused
# when it is complete and was made with the same package list. Settings (environment):
#   NOVACRON_IMAGE_CACHE    ${NOVACRON_DATA_DIR:-/var/lib/novacron}/image-cache/debian-12
#   NOVACRON_DEBIAN_MIRROR  http://deb.debian.org/debian
#   NOVACRON_IMAGE_SIZE     2G     the root filesystem (cloud-init grows it to the VM's disk)
#   NOVACRON_IMAGE_TUNE     1      0 leaves the boot untuned (only to measure what tuning buys)
set -euo pipefail

die() { printf 'image-build: %s\n' "$*" >&2; exit 1; }
say() { printf 'image-build: %s\n' "$*"; }

images=${1:?usage: image-build.sh <images-dir> [debian-12]}
name=${2:-debian-12}
[[ $name == debian-12 ]] || die "unknown image '$name' (known: debian-12)"
cache=${NOVACRON_IMAGE_CACHE:-${NOVACRON_DATA_DIR:-/var/lib/novacron}/image-cache/$name}
mirror=${NOVACRON_DEBIAN_MIRROR:-http://deb.debian.org/debian}
size=${NOVACRON_IMAGE_SIZE:-2G}
tune=${NOVACRON_IMAGE_TUNE:-1}
out="$images/$name"
READY="novacron-guest: up"

if [[ -s $out/disk.qcow2 && -s $out/vmlinuz && -s $out/initrd.img && -s $out/cmdline && -s $out/ready ]]; then
  say "$out is complete; nothing to do"
  exit 0
fi
[[ $(id -u) == 0 ]] || die "must run as root (debootstrap, and files owned by root in the image)"
for tool in debootstrap mkfs.ext4 qemu-img; do
  command -v "$tool" >/dev/null || die "$tool is missing: apt-get install debootstrap e2fsprogs qemu-utils"
done

# Packages beyond minbase. python3-cffi-backend: debootstrap does not resolve the virtual package
# cloud-init needs through python3-cryptography, and fails configuring cloud-init without it.
# The generic kernel, not linux-image-cloud-amd64: the cloud flavour has no AHCI driver, so on a
# q35 machine it never sees a SATA CD-ROM, the usual way to attach the NoCloud seed (libvirt's
# default cdrom bus on q35), and cloud-init silently falls back to no datasource: no SSH key, no
# hostname. dbus: systemctl, hostnamectl and friends for the login user. No grub: the host boots
# the kernel directly. No cloud-guest-utils (growpart): the root filesystem has no partition
# table, cloud-init's resizefs grows it to the disk as it is. qemu-guest-agent: libvirt reads the
# guest's IP addresses through it (`domifaddr --source agent`), which is how the node tells the
# control plane a guest's address on a network whose DHCP server is not libvirt's; udev starts it
# when the domain has the org.qemu.guest_agent.0 channel (NovaCron adds one to every VM with a NIC).
PACKAGES=systemd-sysv,udev,openssh-server,linux-image-amd64,ifupdown,isc-dhcp-client,\
python3-cffi-backend,cloud-init,netbase,iproute2,dbus,sudo,ca-certificates,less,qemu-guest-agent

mkdir -p "$(dirname "$cache")" "$images"
# One build of this image at a time (the cache and <images>/<name>.tmp are shared).
exec 9>"$cache.lock"
flock -n 9 || { say "another build of $name runs; waiting for it"; flock 9; }
if [[ -s $out/disk.qcow2 && -s $out/vmlinuz && -s $out/initrd.img && -s $out/cmdline && -s $out/ready ]]; then
  say "$out is complete; nothing to do"
  exit 0
fi

# --- 1. debootstrap into the cache, reused when complete and made from the same package list
rootfs="$cache/rootfs"
stamp="$cache/debootstrap.done"
want="bookworm $mirror $PACKAGES"
if [[ -f $stamp && $(cat "$stamp") == "$want" && -x $rootfs/usr/bin/cloud-init ]]; then
  say "reusing the debootstrap tree in $rootfs"
else
  say "debootstrap bookworm into $rootfs (about 75 s and 560 MB; log: $cache/debootstrap.log)"
  rm -rf "$cache"
  mkdir -p "$cache"
  if ! debootstrap --variant=minbase --include="$PACKAGES" bookworm "$cache/rootfs.tmp" "$mirror" \
      >"$cache/debootstrap.log" 2>&1; then
    tail -5 "$cache/debootstrap.log" >&2
    die "debootstrap failed; see $cache/debootstrap.log (and $cache/rootfs.tmp/debootstrap/debootstrap.log)"
  fi
  mv "$cache/rootfs.tmp" "$rootfs"
  echo "$want" >"$stamp"
fi

# --- 2. configure it as a cloud guest (every step rewrites the same files: safe to repeat)
R=$rootfs
kernel=$(ls "$R"/boot/vmlinuz-* 2>/dev/null | sort -V | tail -1)
initrd=$(ls "$R"/boot/initrd.img-* 2>/dev/null | sort -V | tail -1)
[[ -n $kernel && -n $initrd ]] || die "no kernel or initrd in $R/boot (linux-image-amd64 not installed?)"
# The root is /dev/vda itself: the kernel must find it through the initramfs.
if ! chroot "$R" lsinitramfs "${initrd#"$R"}" | grep -c 'virtio_blk\.ko' >/dev/null; then
  die "$initrd has no virtio_blk: the guest could not mount /dev/vda"
fi

cat >"$R/etc/fstab" <<'EOF'
# The VM's root disk is the whole of vda (an overlay of the image's disk.qcow2), ext4, no partitions.
/dev/vda  /  ext4  defaults,errors=remount-ro  0  1
EOF
# debootstrap copies the build host's hostname and resolver: neither belongs in a guest. An empty
# hostname lets cloud-init set the one from the seed's local-hostname.
: >"$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n' >"$R/etc/hosts"
rm -f "$R/etc/resolv.conf" && : >"$R/etc/resolv.conf"
# Each VM makes its own machine-id (systemd, on the first boot) and SSH host keys (cloud-init).
: >"$R/etc/machine-id"
rm -f "$R/var/lib/dbus/machine-id" "$R"/etc/ssh/ssh_host_*
# No root password: root stays locked, logins are by key as the default user.
sed -i 's/^root:[^:]*:/root:*:/' "$R/etc/shadow"
cat >"$R/etc/ssh/sshd_config.d/50-novacron.conf" <<'EOF'
# Keys only (the keys arrive through cloud-init).
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UseDNS no
# The host key types cloud-init makes in every image (ssh_genkeytypes, below).
HostKey /etc/ssh/ssh_host_ed25519_key
HostKey /etc/ssh/ssh_host_ecdsa_key
EOF
# cloud-init makes the host keys before sshd starts; should it have made none, sshd makes its
# own instead of refusing to start.
mkdir -p "$R/etc/systemd/system/ssh.service.d"
cat >"$R/etc/systemd/system/ssh.service.d/novacron-hostkeys.conf" <<'EOF'
[Service]
ExecStartPre=
ExecStartPre=/bin/sh -c 'ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A'
ExecStartPre=/usr/sbin/sshd -t
EOF
cat >"$R/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://security.debian.org/debian-security bookworm-security main
EOF

# cloud-init: a NoCloud seed (a cidata ISO: meta-data with instance-id, local-hostname,
# public-keys), else the None datasource. With no network config in the seed cloud-init writes
# its fallback: DHCP on the first NIC (/etc/network/interfaces.d/50-cloud-init, ifupdown).
cat >"$R/etc/cloud/cloud.cfg.d/90_novacron.cfg" <<'EOF'
# NovaCron guests: the seed is a NoCloud ISO; without one, cloud-init still runs (None).
datasource_list: [ NoCloud, None ]
# 127.0.1.1 <hostname> in /etc/hosts, so that sudo and friends resolve the name cloud-init sets.
manage_etc_hosts: true
# Debian's default, en_US.UTF-8, is not in locale.gen: cloud-init's locale module fails on it.
locale: C.UTF-8
EOF
echo 'LANG=C.UTF-8' >"$R/etc/default/locale"

# The serial console: a login prompt on ttyS0 (the console the host logs to a file).
mkdir -p "$R/etc/systemd/system/getty.target.wants"
ln -sfn /lib/systemd/system/serial-getty@.service \
  "$R/etc/systemd/system/getty.target.wants/serial-getty@ttyS0.service"

# The ready line: printed on ttyS0 after cloud-init's last stage and sshd, i.e. when the key and
# hostname are in place and a login can succeed. cloud-final runs after multi-user.target, so
# this unit hangs off cloud-init.target (wanting it from multi-user.target would be a cycle).
cat >"$R/etc/systemd/system/novacron-ready.service" <<EOF
[Unit]
Description=Tell the NovaCron host agent on ttyS0 that the guest is up
After=cloud-final.service ssh.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "$READY" >/dev/ttyS0'

[Install]
WantedBy=cloud-init.target
EOF
mkdir -p "$R/etc/systemd/system/cloud-init.target.wants"
ln -sfn /etc/systemd/system/novacron-ready.service \
  "$R/etc/systemd/system/cloud-init.target.wants/novacron-ready.service"

# Boot tuning (a TCG guest boots at a few percent of native speed): `quiet`; no periodic jobs a
# throwaway VM does not need; host keys ed25519 and ecdsa only (RSA-3072 and DSA took most of the
# 8.5 s of cloud-init's ssh module under TCG; OpenSSH 9 clients refuse DSA anyway); no grub-dpkg
# module (no grub in the image). Worth 3 to 24 s of the ~75 s to the ready line (docs/images.md).
MASKED=(apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer
  e2scrub_reap.service fstrim.timer systemd-networkd-wait-online.service systemd-pstore.service)
cmdline="root=/dev/vda rw console=ttyS0,115200"
if [[ $tune == 1 ]]; then
  for unit in "${MASKED[@]}"; do ln -sfn /dev/null "$R/etc/systemd/system/$unit"; done
  printf 'ssh_genkeytypes: [ ed25519, ecdsa ]\ngrub_dpkg: { enabled: false }\n' \
    >"$R/etc/cloud/cloud.cfg.d/91_novacron_tune.cfg"
  cmdline+=" quiet"
else
  for unit in "${MASKED[@]}"; do
    [[ $(readlink "$R/etc/systemd/system/$unit" 2>/dev/null) == /dev/null ]] && rm -f "$R/etc/systemd/system/$unit"
  done
  rm -f "$R/etc/cloud/cloud.cfg.d/91_novacron_tune.cfg"
fi

# What a guest does not need: downloaded .debs, package lists (a guest runs apt-get update), logs
# of the build.
rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/* "$R/var/log/bootstrap.log"
rm -rf "$R"/var/lib/cloud/* "$R"/tmp/* "$R"/var/tmp/*

# --- 3. the image: ext4 filled from the folder, as a compressed qcow2, plus the direct-boot files
rm -rf "$out.tmp"
mkdir -p "$out.tmp"
say "mkfs.ext4 -d ($size) and qemu-img convert -c"
truncate -s "$size" "$out.tmp/root.raw"
mkfs.ext4 -q -F -L novacron-root -d "$R" "$out.tmp/root.raw" \
  || die "mkfs.ext4 -d failed (is $size big enough for $(du -sh "$R" | cut -f1)?)"
qemu-img convert -c -f raw -O qcow2 "$out.tmp/root.raw" "$out.tmp/disk.qcow2"
rm -f "$out.tmp/root.raw"
cp "$kernel" "$out.tmp/vmlinuz"
cp "$initrd" "$out.tmp/initrd.img"
echo "$cmdline" >"$out.tmp/cmdline"
# The line the host agent waits for in the console log before it calls a guest running.
echo "$READY" >"$out.tmp/ready"
chmod 644 "$out.tmp"/*
chmod 755 "$out.tmp"
rm -rf "$out"
mv "$out.tmp" "$out"
say "built $out ($(du -sh "$out" | cut -f1): $(basename "$kernel"), rootfs $(du -sh "$R" | cut -f1))"
