#!/usr/bin/env bash
# boot-check.sh: install the NovaCron .deb into a Debian 12 container booted by a real systemd
# (systemd-nspawn -b) and run its units there: the checks that `systemd-analyze verify` and
# `systemctl --root` in verify.sh cannot make. The units' hardening (ProtectSystem=,
# PrivateDevices=, SystemCallFilter=, the capability sets ...) only shows what it breaks when
# systemd applies it to a running process.
#
#   deploy/boot-check.sh [--topology=single|cluster] [--jars-from=DIR] [--keep]
#
# Both topologies follow docs/deploy.md step by step, in a container with its own network
# namespace (loopback only: nothing reaches out once it has booted):
#   single   "Install on a node": novacron-temporal (the dev server), novacron-control-plane
#            (embedded PostgreSQL) and novacron-host-agent
#   cluster  "The same topology under systemd" and "One address for the replicas": Debian's
#            PostgreSQL 15 and setup-postgres.sh, novacron-temporal-schema, the four
#            novacron-temporal@ services (the real server v1.32.2), novacron-control-plane@8181
#            and @8182, Debian's HAProxy on 8180, and novacron-host-agent
# What it checks:
#   1. the .deb installs with dpkg (its postinst runs install.sh: user, settings, units enabled)
#   2. `systemctl start novacron.target` brings every unit of the topology up as user novacron
#      (cluster: with mutual TLS to Temporal, as docs/deploy.md "mTLS to Temporal" sets it up; the
#      frontend must answer a client certificate of the CA and refuse plaintext and TLS without one)
#   3. the REST API answers (cluster: on each replica and through HAProxy); the host agent's node
#      is announced; a VM created through the API is placed and created there (a ProvisionVm run
#      through Temporal, the agent and libvirt's test driver: the container has no libvirtd)
#   4. kill -9 of a control plane (cluster: of replica 8182 and of the Temporal history service):
#      systemd restarts it (Restart=on-failure), the API answers (cluster: through HAProxy while
#      the replica is down) and the VM is still listed
#   5. `systemctl stop novacron.target` leaves every unit inactive with result `success` (a JVM
#      that exits 143 after SIGTERM is a clean stop: SuccessExitStatus=143)
# The root filesystem (debootstrap, ~2 minutes the first time) with Java, PostgreSQL and HAProxy
# is cached in $NOVACRON_BOOT_DIR (default /var/lib/novacron/boot-check). The cluster needs the
# Temporal server and sql tool built (deploy/temporal/scripts/install-server.sh, or
# `novacron cluster up` once): it copies them from /usr/local/lib/temporal or $(go env GOPATH)/bin.
# Not part of `novacron test` (CI): it downloads Debian packages and boots a second systemd.
# Needs root, debootstrap and systemd-container (installed with apt-get when missing).
set -euo pipefail

DEPLOY=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$DEPLOY/.." && pwd)
DIR=${NOVACRON_BOOT_DIR:-/var/lib/novacron/boot-check}
JARS_FROM=$ROOT
KEEP=0
TOPOLOGY=single
for arg in "$@"; do
  case $arg in
    --jars-from=*) JARS_FROM=${arg#--jars-from=} ;;
    --topology=single | --topology=cluster) TOPOLOGY=${arg#--topology=} ;;
    --keep) KEEP=1 ;;
    -h | --help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "boot-check: unknown argument '$arg' (--topology is single or cluster)" >&2; exit 2 ;;
  esac
done

say() { printf 'boot-check: %s\n' "$*"; }
die() { printf 'boot-check: FAIL: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "needs root (debootstrap, systemd-nspawn)"

for tool in debootstrap:debootstrap systemd-nspawn:systemd-container; do
  command -v "${tool%%:*}" >/dev/null || apt-get install -y -q "${tool#*:}" >/dev/null
done
command -v temporal >/dev/null || die "the temporal CLI is missing (novacron install puts it in /usr/local/bin)"
if [[ $TOPOLOGY == cluster ]]; then
  TEMPORAL_BIN=
  for d in /usr/local/lib/temporal "$(go env GOPATH 2>/dev/null || echo /root/go)/bin"; do
    [[ -x $d/server && -x $d/sql ]] && { TEMPORAL_BIN=$d; break; }
  done
  [[ -n $TEMPORAL_BIN ]] || die "no Temporal server and sql tool: run deploy/temporal/scripts/install-server.sh"
fi

RFS=$DIR/rootfs
WORK=$(mktemp -d /tmp/novacron-boot-check.XXXXXX)
NSPAWN_PID=
leader() { ps -o pid= --ppid "$NSPAWN_PID" | head -n 1 | tr -d ' '; }
in_ct() { nsenter -t "$(leader)" -m -u -i -n -p -- "$@"; }
# Not booted: the host's network (for apt), no systemd. --keep-unit: this machine's PID 1 is not
# systemd, so there is no bus to register a scope on.
in_rootfs() { systemd-nspawn -q -D "$RFS" --register=no --keep-unit --pipe "$@" 2>&1 | grep -v '^Attempted to remove disk file system'; return "${PIPESTATUS[0]}"; }
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

# 1. A cached root filesystem with systemd, Java, the package's dependencies, PostgreSQL, HAProxy.
if [[ ! -x $RFS/lib/systemd/systemd ]]; then
  say "making a Debian 12 root filesystem in $RFS (debootstrap, once)"
  rm -rf "$RFS" && mkdir -p "$DIR"
  debootstrap --variant=minbase --include=systemd-sysv,dbus,curl,ca-certificates,procps \
    bookworm "$RFS" >"$WORK/debootstrap.log" 2>&1 || { tail -20 "$WORK/debootstrap.log"; die "debootstrap failed"; }
fi
if [[ ! -x $RFS/usr/lib/jvm/java-17-openjdk-amd64/bin/java || ! -x $RFS/usr/sbin/haproxy \
  || ! -x $RFS/usr/lib/postgresql/15/bin/postgres ]]; then
  say "installing Java 17, the package's dependencies, PostgreSQL 15 and HAProxy in the root filesystem (once)"
  in_rootfs /bin/sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      openjdk-17-jre-headless libvirt0 xorriso postgresql haproxy' >"$WORK/apt.log" \
    || { tail -20 "$WORK/apt.log"; die "apt-get install in the container failed"; }
fi

# 2. The package, built from the jars, installed with dpkg like an operator would.
say "building the .deb from the jars in $JARS_FROM"
"$ROOT/starter/scripts/package.sh" --jars-from="$JARS_FROM" --out="$WORK/dist" --no-tar >"$WORK/package.log" 2>&1 \
  || { tail -20 "$WORK/package.log"; die "package.sh failed"; }
deb=$(ls "$WORK"/dist/novacron_*_all.deb)
install -m 0644 "$deb" "$RFS/root/novacron.deb"   # not /tmp: nspawn mounts a fresh tmpfs there
install -m 0755 "$(command -v temporal)" "$RFS/usr/local/bin/temporal"
if [[ $TOPOLOGY == cluster ]]; then
  COMPONENTS=temporal-cluster,control-plane@8181,control-plane@8182,host-agent
  install -d "$RFS/usr/local/lib/temporal"
  install -m 0755 "$TEMPORAL_BIN/server" "$TEMPORAL_BIN/sql" "$RFS/usr/local/lib/temporal/"
else
  COMPONENTS=control-plane,host-agent,temporal
fi
in_rootfs /bin/sh -c '
  set -e
  # A fresh install every run: the package, its settings and data, the cluster'"'"'s databases.
  dpkg --purge novacron >/dev/null 2>&1 || true
  rm -rf /var/lib/novacron /etc/novacron
  pg_dropcluster --stop 15 main >/dev/null 2>&1 || true
  pg_createcluster 15 main >/dev/null
  # What every installed Debian has and debootstrap leaves out: its own host name and localhost
  # in /etc/hosts (the embedded PostgreSQL listens on localhost, the agents advertise the name).
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
  /opt/novacron/deploy/install.sh --components='"$COMPONENTS"' --apparmor=skip >/dev/null
  # HAProxy as docs/deploy.md "One address for the replicas" installs it (used by the cluster only).
  cp /opt/novacron/deploy/haproxy/novacron.cfg /etc/haproxy/novacron.cfg
  sed -i "/novacron.cfg/d" /etc/default/haproxy
  echo "EXTRAOPTS=\"-S /run/haproxy-master.sock -f /etc/haproxy/novacron.cfg\"" >>/etc/default/haproxy
  if [ '"$TOPOLOGY"' = single ]; then
    systemctl disable haproxy postgresql >/dev/null 2>&1
  else
    # docs/deploy.md: right after install.sh, before anything starts, the roles, databases and
    # passwords (PostgreSQL started by hand here: the container has not booted yet).
    systemctl enable haproxy postgresql >/dev/null 2>&1
    pg_ctlcluster 15 main start
    /opt/novacron/deploy/temporal/scripts/setup-postgres.sh
    pg_ctlcluster 15 main stop
    # docs/deploy.md "mTLS to Temporal": a CA and the certificates (the CA key then leaves the
    # machine, as it would leave the fleet), TLS on in the server and in every client.
    /opt/novacron/deploy/temporal/scripts/make-certs.sh /etc/novacron/tls --nodes=boot-check >/dev/null
    rm /etc/novacron/tls/ca.key
    chown -R root:novacron /etc/novacron/tls && chmod 0750 /etc/novacron/tls
    chmod 0640 /etc/novacron/tls/*.key && chmod 0644 /etc/novacron/tls/*.pem
    sed -i -e "s|^#TEMPORAL_TLS_SERVER_|TEMPORAL_TLS_SERVER_|" /etc/novacron/temporal-cluster.env
    tls_client() { # env file, certificate name
      sed -i -e "s|^#NOVACRON_TEMPORAL_TLS_CERT=.*|NOVACRON_TEMPORAL_TLS_CERT=/etc/novacron/tls/$2.pem|" \
             -e "s|^#NOVACRON_TEMPORAL_TLS_KEY=.*|NOVACRON_TEMPORAL_TLS_KEY=/etc/novacron/tls/$2.key|" \
             -e "s|^#NOVACRON_TEMPORAL_TLS_CA=.*|NOVACRON_TEMPORAL_TLS_CA=/etc/novacron/tls/ca.pem|" "$1"
    }
    tls_client /etc/novacron/control-plane.env control-plane
    tls_client /etc/novacron/host-agent.env node-boot-check
  fi
' >"$WORK/dpkg.log" || { cat "$WORK/dpkg.log"; die "dpkg -i or install.sh failed in the container"; }
# The "tiny" base image the host agent announces (the test driver starts no guest from it, but
# placement only picks a node that holds the VM's image).
"$ROOT/starter/scripts/guest-image.sh" "$DIR/images" >"$WORK/image.log" 2>&1 || { cat "$WORK/image.log"; die "guest-image.sh failed"; }
rm -rf "$RFS/var/lib/novacron/node/images/tiny"
cp -a "$DIR/images/tiny" "$RFS/var/lib/novacron/node/images/"
in_rootfs chown -R novacron:novacron /var/lib/novacron/node/images >/dev/null || die "chown of the image in the container failed"
say "installed $(basename "$deb") ($TOPOLOGY: $COMPONENTS)$([[ $TOPOLOGY == cluster ]] && echo '; setup-postgres.sh done')"

# 3. Boot. --private-network: the container sees only its own loopback.
systemd-nspawn -q -b -D "$RFS" --register=no --keep-unit --private-network --machine=novacron-boot-check \
  >"$WORK/console.log" 2>&1 </dev/null &
NSPAWN_PID=$!
for _ in $(seq 60); do
  [[ -n $(leader) ]] && state=$(in_ct systemctl is-system-running 2>/dev/null) && [[ $state =~ running|degraded ]] && break
  kill -0 "$NSPAWN_PID" 2>/dev/null || { cat "$WORK/console.log"; die "the container did not boot"; }
  sleep 1
done
[[ ${state:-} =~ running|degraded ]] || die "the container's systemd is not up: ${state:-no answer}"
say "container booted (systemd: $state)"

unit_state() { in_ct systemctl show -p ActiveState --value "$1.service"; }
journal() { in_ct journalctl -u "$1" --no-pager -n 40 >&2 || true; }
wait_active() { # unit, seconds
  for _ in $(seq "$2"); do [[ $(unit_state "$1") == active ]] && return 0; sleep 1; done
  journal "$1"; die "$1 is $(unit_state "$1") after $2 s"
}
restarts_after_kill() { # unit: kill -9 of its main process, then the restart count systemd reports
  local pid n
  pid=$(in_ct systemctl show -p MainPID --value "$1.service")
  in_ct kill -9 "$pid"
  for _ in $(seq 60); do
    n=$(in_ct systemctl show -p NRestarts --value "$1.service")
    ((n >= 1)) && { echo "$n"; return 0; }
    sleep 1
  done
  die "systemd did not restart $1 after kill -9 of pid $pid"
}

if [[ $TOPOLOGY == cluster ]]; then
  UNITS=(novacron-temporal-schema novacron-temporal@history novacron-temporal@matching
    novacron-temporal@frontend novacron-temporal@worker novacron-control-plane@8181
    novacron-control-plane@8182 novacron-host-agent)
  PORTS=(8181 8182 8180)
else
  UNITS=(novacron-temporal novacron-control-plane novacron-host-agent)
  PORTS=(8080)
fi
in_ct systemctl start novacron.target
for unit in "${UNITS[@]}"; do
  wait_active "$unit" 60
  user=$(in_ct systemctl show -p User --value "$unit.service")
  [[ $user == novacron ]] || die "$unit runs as '$user', not novacron"
done
say "units active as user novacron: ${UNITS[*]}"
if [[ $TOPOLOGY == cluster ]]; then
  in_ct systemctl restart haproxy && wait_active haproxy 30
  # docs/deploy.md: the operator creates the namespace once the frontend answers, with the
  # control plane's certificate (the frontend requires one from the CA).
  tctl() { in_ct env TEMPORAL_TLS_CERT=/etc/novacron/tls/control-plane.pem TEMPORAL_TLS_KEY=/etc/novacron/tls/control-plane.key \
    TEMPORAL_TLS_CA=/etc/novacron/tls/ca.pem temporal "$@" --address 127.0.0.1:7233; }
  for _ in $(seq 60); do tctl operator cluster health >/dev/null 2>&1 && break; sleep 1; done
  tctl operator cluster health >/dev/null 2>&1 || die "the Temporal frontend does not answer a client certificate of the CA"
  in_ct temporal operator cluster health --address 127.0.0.1:7233 --tls=false >/dev/null 2>&1 \
    && die "the Temporal frontend answers plaintext: mTLS is not on"
  in_ct temporal operator cluster health --address 127.0.0.1:7233 --tls-ca-path /etc/novacron/tls/ca.pem >/dev/null 2>&1 \
    && die "the Temporal frontend answers TLS without a client certificate"
  say "Temporal frontend: mutual TLS (refuses plaintext and TLS without a client certificate)"
  tctl operator namespace describe --namespace default >/dev/null 2>&1 \
    || tctl operator namespace create --namespace default --retention 720h >/dev/null \
    || die "temporal operator namespace create failed"
  say "namespace default created on the Temporal frontend"
fi

api() { # port method path: prints the body, fails on a non-2xx answer
  local token
  token=$(in_ct cat /var/lib/novacron/admin-token)
  in_ct curl -sS -f -m 10 -X "$2" -H "Authorization: Bearer $token" "http://127.0.0.1:$1$3"
}
api_up() { # port
  for _ in $(seq 240); do
    in_ct test -s /var/lib/novacron/admin-token && api "$1" GET /api/v1/nodes >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}
for port in "${PORTS[@]}"; do
  api_up "$port" || { journal "${UNITS[-2]}"; die "the REST API on $port did not answer within 240 s"; }
done
say "REST API answers on ${PORTS[*]}"
API_PORT=${PORTS[-1]} # the single control plane, or HAProxy in front of the replicas

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
node_live() { api "$API_PORT" GET /api/v1/nodes/boot-check 2>/dev/null | json "d.get('hostSeenAt') is not None and not d.get('down')" 2>/dev/null; }
for _ in $(seq 90); do [[ $(node_live) == True ]] && break; sleep 1; done
[[ $(node_live) == True ]] || { journal novacron-host-agent; die "node boot-check was not announced"; }
say "node boot-check announced by its host agent"

cli() { in_ct env NOVACRON_DATA_DIR=/var/lib/novacron novacron "$@" --api="http://127.0.0.1:$API_PORT"; }
cli vm create --name=boot-vm --vcpus=1 --memory-mib=128 --disk-gib=1 --image=tiny --watch >"$WORK/vm-create.log" 2>&1 \
  || { cat "$WORK/vm-create.log" >&2; journal novacron-host-agent; die "vm create boot-vm failed"; }
vm_state() { api "$1" GET /api/v1/vms/boot-vm 2>/dev/null | json "d.get('node') + '/' + d.get('state')" 2>/dev/null || true; }
for port in "${PORTS[@]}"; do
  [[ $(vm_state "$port") == boot-check/running ]] || die "on $port boot-vm is '$(vm_state "$port")', not boot-check/running"
done
say "VM boot-vm created through the API on $API_PORT: running on node boot-check, listed on ${PORTS[*]}"

# 4. Crashes: systemd brings each process back, nothing is lost.
if [[ $TOPOLOGY == cluster ]]; then
  n=$(restarts_after_kill novacron-control-plane@8182)
  # While replica 8182 is down and restarting, HAProxy answers from 8181.
  answered=0
  for _ in $(seq 10); do api 8180 GET /api/v1/vms/boot-vm >/dev/null 2>&1 && answered=$((answered + 1)); sleep 0.5; done
  ((answered == 10)) || die "HAProxy answered $answered of 10 requests while replica 8182 restarted"
  api_up 8182 || die "replica 8182 did not answer again after its restart"
  say "kill -9 of replica 8182: restarted by systemd (NRestarts=$n); HAProxy answered 10 of 10 meanwhile"
  n=$(restarts_after_kill novacron-temporal@history)
  wait_active novacron-temporal@history 60
  cli vm create --name=boot-vm2 --vcpus=1 --memory-mib=128 --disk-gib=1 --image=tiny --watch >"$WORK/vm-create2.log" 2>&1 \
    || { cat "$WORK/vm-create2.log" >&2; die "vm create after the history service's restart failed"; }
  say "kill -9 of the Temporal history service: restarted by systemd (NRestarts=$n); a second VM created after it"
  CP=novacron-control-plane@8181
else
  CP=novacron-control-plane
fi
n=$(restarts_after_kill "$CP")
api_up "$API_PORT" || die "the REST API did not come back after $CP's restart"
for port in "${PORTS[@]}"; do
  api_up "$port" || die "the REST API on $port did not come back"
  [[ $(vm_state "$port") == boot-check/running ]] || die "after the restart boot-vm is '$(vm_state "$port")' on $port"
done
say "kill -9 of $CP: restarted by systemd (NRestarts=$n), API back, boot-vm still running"

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
say "all boot checks passed ($TOPOLOGY)"
