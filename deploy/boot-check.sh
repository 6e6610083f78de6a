#!/usr/bin/env bash
# boot-check.sh: install the NovaCron .deb into a Debian 12 container booted by a real systemd
# (systemd-nspawn -b) and run the single-node units there: the checks that `systemd-analyze
# verify` and `systemctl --root` in verify.sh cannot make. The units' hardening (ProtectSystem=,
# PrivateDevices=, SystemCallFilter=, the capability sets ...) only shows what it breaks when
# systemd applies it to a running process.
#
#   deploy/boot-check.sh [--jars-from=DIR] [--keep]
#
# What it checks, in a container with its own network namespace (loopback only, nothing reaches
# out once it has booted):
#   1. the .deb installs with dpkg (its postinst runs install.sh: user, settings, units enabled)
#   2. `systemctl start novacron.target` brings up novacron-temporal (the dev server),
#      novacron-control-plane (embedded PostgreSQL) and novacron-host-agent (libvirt's test
#      driver: the container has no libvirtd) as the novacron user, each `active`
#   3. the REST API answers; the host agent's node is announced; a VM created through
#      the API reaches running on it (a ProvisionVm workflow through Temporal, the agent, libvirt)
#   4. kill -9 of the control plane's JVM: systemd restarts it (Restart=on-failure), the API
#      answers again and the VM is still listed
#   5. `systemctl stop novacron.target` stops every unit with result `success` (a JVM that exits
#      143 after SIGTERM is a clean stop: SuccessExitStatus=143)
# The root filesystem (debootstrap, ~75 s the first time) and its Java runtime are cached in
# $NOVACRON_BOOT_DIR (default /var/lib/novacron/boot-check); a run takes 2-4 minutes after that.
# Not part of `novacron test` (CI): it downloads Debian packages and boots a second systemd.
# Needs root, debootstrap and systemd-container (installed with apt-get when missing).
set -euo pipefail

DEPLOY=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$DEPLOY/.." && pwd)
DIR=${NOVACRON_BOOT_DIR:-/var/lib/novacron/boot-check}
JARS_FROM=$ROOT
KEEP=0
for arg in "$@"; do
  case $arg in
    --jars-from=*) JARS_FROM=${arg#--jars-from=} ;;
    --keep) KEEP=1 ;;
    -h | --help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "boot-check: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

say() { printf 'boot-check: %s\n' "$*"; }
die() { printf 'boot-check: FAIL: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "needs root (debootstrap, systemd-nspawn)"

for tool in debootstrap:debootstrap systemd-nspawn:systemd-container; do
  command -v "${tool%%:*}" >/dev/null || apt-get install -y -q "${tool#*:}" >/dev/null
done
command -v temporal >/dev/null || die "the temporal CLI is missing (novacron install puts it in /usr/local/bin)"

RFS=$DIR/rootfs
WORK=$(mktemp -d /tmp/novacron-boot-check.XXXXXX)
NSPAWN_PID=
cleanup() {
  if [[ -n $NSPAWN_PID ]] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
    # SIGRTMIN+4 asks the container's systemd to power off; SIGKILL if it does not within 30 s.
    kill -s RTMIN+4 "$(leader)" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$NSPAWN_PID" 2>/dev/null || true
  fi
  ((KEEP)) && say "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# 1. A cached root filesystem with systemd, Java and the package's dependencies.
if [[ ! -x $RFS/lib/systemd/systemd ]]; then
  say "making a Debian 12 root filesystem in $RFS (debootstrap, once)"
  rm -rf "$RFS" && mkdir -p "$DIR"
  debootstrap --variant=minbase --include=systemd-sysv,dbus,curl,ca-certificates,procps \
    bookworm "$RFS" >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log"; die "debootstrap failed"; }
fi
if [[ ! -x $RFS/usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
  say "installing Java 17 and the package's dependencies in the root filesystem (once)"
  # Not booted yet: the host's network, for apt only.
  systemd-nspawn -q -D "$RFS" --register=no --keep-unit --pipe /bin/sh -c \
    'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openjdk-17-jre-headless libvirt0 xorriso' \
    >"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log"; die "installing Java and libvirt0 in the container failed"; }
fi

# 2. The package, built from the jars, installed with dpkg like an operator would.
say "building the .deb from the jars in $JARS_FROM"
"$ROOT/starter/scripts/package.sh" --jars-from="$JARS_FROM" --out="$WORK/dist" --no-tar >"$WORK/package.log" 2>&1 \
  || { tail -20 "$WORK/package.log"; die "package.sh failed"; }
deb=$(ls "$WORK"/dist/novacron_*_all.deb)
install -m 0644 "$deb" "$RFS/root/novacron.deb"
install -m 0755 "$(command -v temporal)" "$RFS/usr/local/bin/temporal"
systemd-nspawn -q -D "$RFS" --register=no --keep-unit --pipe /bin/sh -c '
  set -e
  rm -rf /var/lib/novacron /etc/novacron   # a fresh install every run
  # What every installed Debian has and debootstrap leaves out: its own host name and localhost
  # in /etc/hosts.
  # The embedded PostgreSQL listens on localhost; the agents advertise the host name.
  echo novacron-boot-check >/etc/hostname
  printf "127.0.0.1\tlocalhost\n127.0.1.1\tnovacron-boot-check\n::1\t\tlocalhost ip6-localhost ip6-loopback\n" >/etc/hosts
  # The groups libvirt-daemon-system would bring (the host agent unit asks for them).
  groupadd -f libvirt && groupadd -f kvm
  dpkg -i /root/novacron.deb >/dev/null
  # No libvirtd in the container: the agent drives libvirt'"'"'s test driver (real libvirt API, no guests).
  sed -i -e "s|^NOVACRON_NODE=.*|NOVACRON_NODE=boot-check|" \
         -e "s|^NOVACRON_LIBVIRT_URI=.*|NOVACRON_LIBVIRT_URI=test:///default|" /etc/novacron/host-agent.env
  # One machine: transfers stay on loopback, so no node certificate (docs/deploy.md, "TLS between nodes").
  echo NOVACRON_TRANSFER_HOST=127.0.0.1 >>/etc/novacron/host-agent.env
  # The first admin and a token for scripts, as docs/deploy.md tells an operator to set them.
  head -c 18 /dev/urandom | base64 >/etc/novacron/admin-password
  chown root:novacron /etc/novacron/admin-password && chmod 0640 /etc/novacron/admin-password
  printf "%s\n" NOVACRON_ADMIN_USER=admin NOVACRON_ADMIN_PASSWORD_FILE=/etc/novacron/admin-password \
    NOVACRON_BOOTSTRAP_TOKEN_FILE=/var/lib/novacron/admin-token >>/etc/novacron/control-plane.env
  printf "%s\n" control-plane host-agent temporal >/etc/novacron/components
  /opt/novacron/deploy/install.sh --components=control-plane,host-agent,temporal --apparmor=skip >/dev/null
' >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log"; die "dpkg -i or install.sh failed in the container"; }
# The "tiny" base image the host agent announces (the test driver starts no guest from it, but
# placement only picks a node that holds the VM's image).
"$ROOT/starter/scripts/guest-image.sh" "$DIR/images" >"$WORK/image.log" 2>&1 || { cat "$WORK/image.log"; die "guest-image.sh failed"; }
rm -rf "$RFS/var/lib/novacron/node/images/tiny"
cp -a "$DIR/images/tiny" "$RFS/var/lib/novacron/node/images/"
systemd-nspawn -q -D "$RFS" --register=no --keep-unit --pipe chown -R novacron:novacron /var/lib/novacron/node/images >/dev/null 2>&1 \
  || die "chown of the image in the container failed"
say "installed $(basename "$deb")"

# 3. Boot. --private-network: the container sees only its own loopback.
systemd-nspawn -q -b -D "$RFS" --register=no --keep-unit --private-network --machine=novacron-boot-check \
  >"$WORK/console.log" 2>&1 </dev/null &
NSPAWN_PID=$!
leader() { ps -o pid= --ppid "$NSPAWN_PID" | head -n 1 | tr -d ' '; }
in_ct() { nsenter -t "$(leader)" -m -u -i -n -p -- "$@"; }
for _ in $(seq 60); do
  [[ -n $(leader) ]] && state=$(in_ct systemctl is-system-running 2>/dev/null) && [[ $state =~ running|degraded ]] && break
  kill -0 "$NSPAWN_PID" 2>/dev/null || { cat "$WORK/console.log"; die "the container did not boot"; }
  sleep 1
done
[[ ${state:-} =~ running|degraded ]] || die "the container's systemd is not up: ${state:-no answer}"
say "container booted (systemd: $state)"

UNITS=(novacron-temporal novacron-control-plane novacron-host-agent)
unit_state() { in_ct systemctl show -p ActiveState --value "$1.service"; }
journal() { in_ct journalctl -u "$1" --no-pager -n 40 >&2 || true; }
in_ct systemctl start novacron.target
for unit in "${UNITS[@]}"; do
  for _ in $(seq 30); do [[ $(unit_state "$unit") == active ]] && break; sleep 1; done
  [[ $(unit_state "$unit") == active ]] || { journal "$unit"; die "$unit is $(unit_state "$unit")"; }
  user=$(in_ct systemctl show -p User --value "$unit.service")
  [[ $user == novacron ]] || die "$unit runs as '$user', not novacron"
done
say "units active as user novacron: ${UNITS[*]}"

api() { # method path [body]: prints the body, fails on a non-2xx answer
  local token
  token=$(in_ct cat /var/lib/novacron/admin-token)
  in_ct curl -sS -f -X "$1" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "http://127.0.0.1:8080$2"
}
api_up() {
  for _ in $(seq 180); do
    in_ct test -s /var/lib/novacron/admin-token && api GET /api/v1/nodes >/dev/null 2>&1 && return 0
    [[ $(unit_state novacron-control-plane) =~ active|activating ]] || { journal novacron-control-plane; return 1; }
    sleep 1
  done
  return 1
}
api_up || { journal novacron-control-plane; die "the REST API did not answer within 180 s"; }
say "REST API answers"

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
node_live() { api GET /api/v1/nodes/boot-check 2>/dev/null | json "d.get('hostSeenAt') is not None and not d.get('down')" 2>/dev/null; }
for _ in $(seq 90); do [[ $(node_live) == True ]] && break; sleep 1; done
[[ $(node_live) == True ]] || { api GET /api/v1/nodes >&2 || true; journal novacron-host-agent; die "node boot-check was not announced"; }
say "node boot-check announced by its host agent"

cli() { in_ct env NOVACRON_DATA_DIR=/var/lib/novacron novacron "$@" --api=http://127.0.0.1:8080; }
cli vm create --name=boot-vm --vcpus=1 --memory-mib=128 --disk-gib=1 --image=tiny --watch >"$WORK/vm-create.log" 2>&1 \
  || { cat "$WORK/vm-create.log" >&2; journal novacron-host-agent; die "vm create boot-vm failed"; }
vm_state() { api GET /api/v1/vms/boot-vm 2>/dev/null | json "d.get('node') + '/' + d.get('state')" 2>/dev/null || true; }
[[ $(vm_state) == boot-check/running ]] || die "boot-vm is '$(vm_state)', not boot-check/running"
say "VM boot-vm created through the API: running on node boot-check"

# 4. A crash of the control plane: systemd brings it back, nothing is lost.
pid=$(in_ct systemctl show -p MainPID --value novacron-control-plane.service)
in_ct kill -9 "$pid"
for _ in $(seq 60); do
  restarts=$(in_ct systemctl show -p NRestarts --value novacron-control-plane.service)
  ((restarts >= 1)) && break
  sleep 1
done
((restarts >= 1)) || die "systemd did not restart the control plane after kill -9 (NRestarts=$restarts)"
api_up || die "the REST API did not come back after the control plane's restart"
[[ $(vm_state) == boot-check/running ]] || die "after the restart boot-vm is '$(vm_state)'"
say "kill -9 of the control plane (pid $pid): restarted by systemd (NRestarts=$restarts), API back, boot-vm still running"

# 5. A clean stop.
in_ct systemctl stop novacron.target
for unit in "${UNITS[@]}"; do
  # PartOf= stops reach the units as jobs of their own: wait for them.
  for _ in $(seq 60); do [[ $(unit_state "$unit") == inactive ]] && break; sleep 1; done
  result=$(in_ct systemctl show -p Result --value "$unit.service")
  [[ $(unit_state "$unit") == inactive && $result == success ]] \
    || { journal "$unit"; die "$unit stopped as $(unit_state "$unit")/$result"; }
done
say "systemctl stop novacron.target: every unit inactive with result success"
say "all boot checks passed"
