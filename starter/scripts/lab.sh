#!/usr/bin/env bash
# lab.sh: a two-host libvirt lab on one machine (docs/lab.md; the recipe is shared/guides/LAB.md).
#
#   lab.sh up [--agents] [--tls]
#                          two network namespaces (novacron-a 10.77.0.1, novacron-b 10.77.0.2),
#                          each with a bridge ncbr0, the bridges joined by a veth pair into one
#                          L2 segment; a client namespace novacron-c (10.77.0.3) on the segment
#                          running the guests' DHCP server (dnsmasq, 10.77.0.100-199); one
#                          private libvirtd per node with a libvirt network `lab` (ncbr0); with --agents
#                          (or NOVACRON_LAB_AGENTS=1) also a host agent per node (lab-a, lab-b)
#                          against the local stack's Temporal (NOVACRON_TEMPORAL_PORT, 7233).
#                          Each daemon also listens for TLS on <node ip>:16514 with a certificate
#                          of the lab's CA ($LAB/pki, made by make-certs.sh); with --tls (or
#                          NOVACRON_LAB_TLS=1) the agents migrate over it: qemu+tls to the peer
#                          and QEMU's stream with --tls (NOVACRON_MIGRATION_TLS=true)
#   lab.sh down            destroy the lab's guests, stop agents, daemons and dnsmasq by pid
#                          file, delete the namespaces and the leases; images stay
#   lab.sh status          what runs, and each node's libvirt URI for a root-namespace process
#   lab.sh uri <a|b> [--tls]  print the node's libvirt URI (qemu+unix, through its socket), or
#                          with --tls the one its peer dials: qemu+tls://<node ip>/system
#   lab.sh exec <a|b> CMD...  run CMD inside the node (its network, its /etc/libvirt and /etc/pki),
#                          e.g. lab.sh exec a virsh -c qemu+tls://10.77.0.2/system list
#
# Every command is safe to run twice. Settings (environment):
#   NOVACRON_LAB_DIR        /var/lib/novacron/lab   everything the lab owns
#   NOVACRON_TEMPORAL_PORT  7233                    where --agents finds Temporal
#   NOVACRON_LAB_AGENTS=1   same as --agents
#   NOVACRON_LAB_TLS=1      same as --tls
#   NOVACRON_LAB_PORT_BASE  7960   the agents' transfer ports start above it (7961, 7962)
#   NOVACRON_LAB_METRICS_BASE 9470 their metrics ports start above it (9471, 9472)
#
# The system libvirtd (qemu:///system) is never touched: each lab daemon sees private copies of
# /etc/libvirt, /run/libvirt, /var/lib/libvirt, /var/log/libvirt and /var/cache/libvirt (and of /etc/pki,
# its certificates), bind-mounted in a private mount namespace, and owns only the guests and pools
# defined on it.
set -euo pipefail
LAB_TLS=0

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
LAB=${NOVACRON_LAB_DIR:-/var/lib/novacron/lab}
TEMPORAL_PORT=${NOVACRON_TEMPORAL_PORT:-7233}
VERSION=0.1.0-SNAPSHOT
NODES=(a b)
LIBVIRT_DIRS=(etc run lib log cache) # mounted over /etc/libvirt, /run/libvirt, /var/{lib,log,cache}/libvirt
TLS_PORT=16514 # libvirtd's TLS listener (libvirt's default port)
MAKE_CERTS=$ROOT/deploy/temporal/scripts/make-certs.sh

say() { printf 'lab: %s\n' "$*"; }
die() { printf 'lab: %s\n' "$*" >&2; exit 1; }

ns() { echo "novacron-$1"; }
ip_of() { case $1 in a) echo 10.77.0.1 ;; b) echo 10.77.0.2 ;; c) echo 10.77.0.3 ;; *) die "no node $1" ;; esac; }
# The segment: in each node namespace a bridge holding the node's address and its end of the a-b
# veth (and, on a, the client's veth); libvirt's network `lab` puts the guests' taps on it.
BRIDGE=ncbr0
bridge_mac() { case $1 in a) echo 02:6e:63:77:00:01 ;; b) echo 02:6e:63:77:00:02 ;; esac; }
CLIENT=c # namespace novacron-c: the client's view of the guests, and their DHCP server
DHCP_RANGE=10.77.0.100,10.77.0.199,255.255.255.0,1h
dhcp_pidfile() { echo "$LAB/dnsmasq.pid"; }
dhcp_leases() { echo "$LAB/dnsmasq.leases"; }
# Distinct per node: libvirt refuses a migration between daemons with the same host UUID.
uuid_of() { case $1 in a) echo 6e6f7661-6372-6f6e-6c61-62000000000a ;; b) echo 6e6f7661-6372-6f6e-6c61-62000000000b ;; esac; }
node_dir() { echo "$LAB/$1"; }
socket_of() { echo "$(node_dir "$1")/run/libvirt/libvirt-sock"; }
uri_of() { echo "qemu+unix:///system?socket=$(socket_of "$1")"; }
tls_uri_of() { echo "qemu+tls://$(ip_of "$1")/system"; }
pki_of() { echo "$(node_dir "$1")/pki"; } # mounted over /etc/pki in the node
daemon_pidfile() { echo "$(node_dir "$1")/libvirtd.pid"; }
agent_pidfile() { echo "$LAB/run/agent-lab-$1.pid"; }

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# For a process that outlives this script (daemons, agents): close every descriptor above stderr,
# so that it does not keep what the caller holds open, e.g. `flock /work/lab.lock lab.sh up`'s lock.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    ((fd > 2 && fd != 255)) && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

stop_pid() { # pidfile: TERM, wait up to 10 s, then KILL; only the process the file names
  local f=$1 pid
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# ---------------------------------------------------------------------------------------------

has_addr() { ip -n "$(ns "$1")" -o addr show dev "$2" 2>/dev/null | grep -F " $(ip_of "$1")/" >/dev/null; }

network_up() {
  for n in "${NODES[@]}" "$CLIENT"; do
    [[ -e /run/netns/$(ns "$n") ]] || ip netns add "$(ns "$n")"
    ip -n "$(ns "$n")" link set lo up
  done
  if ! ip -n "$(ns a)" link show nclab-a >/dev/null 2>&1; then
    ip link add nclab-a type veth peer name nclab-b
    ip link set nclab-a netns "$(ns a)"
    ip link set nclab-b netns "$(ns b)"
  fi
  # The client's veth: nclab-c in novacron-c, its peer nclab-ac on a's bridge.
  if ! ip -n "$(ns "$CLIENT")" link show nclab-c >/dev/null 2>&1; then
    ip -n "$(ns a)" link del nclab-ac 2>/dev/null || true
    ip link add nclab-c type veth peer name nclab-ac
    ip link set nclab-c netns "$(ns "$CLIENT")"
    ip link set nclab-ac netns "$(ns a)"
  fi
  for n in "${NODES[@]}"; do
    local -a nsip=(ip -n "$(ns "$n")")
    # No STP (a two-bridge line has no loop) and no forward delay: a port forwards at once.
    "${nsip[@]}" link show "$BRIDGE" >/dev/null 2>&1 ||
      "${nsip[@]}" link add "$BRIDGE" address "$(bridge_mac "$n")" type bridge stp_state 0 forward_delay 0
    # A lab brought up before the bridge existed has the node's address on the veth: move it.
    has_addr "$n" "nclab-$n" && "${nsip[@]}" addr del "$(ip_of "$n")/24" dev "nclab-$n"
    "${nsip[@]}" link set "nclab-$n" master "$BRIDGE"
    "${nsip[@]}" link set "nclab-$n" up
    has_addr "$n" "$BRIDGE" || "${nsip[@]}" addr add "$(ip_of "$n")/24" dev "$BRIDGE"
    "${nsip[@]}" link set "$BRIDGE" up
  done
  ip -n "$(ns a)" link set nclab-ac master "$BRIDGE"
  ip -n "$(ns a)" link set nclab-ac up
  has_addr "$CLIENT" nclab-c || ip -n "$(ns "$CLIENT")" addr add "$(ip_of "$CLIENT")/24" dev nclab-c
  ip -n "$(ns "$CLIENT")" link set nclab-c up
}

# The guests' one DHCP server, in the client namespace so that no node's daemon takes it down.
dhcp_up() {
  local pidfile; pidfile=$(dhcp_pidfile)
  if alive "$pidfile"; then
    # Still serving the namespace of this lab? A dnsmasq left from before the namespace was
    # recreated listens on a veth that no longer exists.
    [[ $(stat -L -c %i "/proc/$(cat "$pidfile")/ns/net") == "$(stat -L -c %i "/run/netns/$(ns "$CLIENT")")" ]] &&
      return 0
    stop_pid "$pidfile"
  fi
  command -v dnsmasq >/dev/null || die "no dnsmasq: apt-get install dnsmasq-base (novacron install does)"
  rm -f "$pidfile"
  touch "$(dhcp_leases)"
  # DHCP only (port 0: no DNS); no router or DNS server option, the segment routes nowhere.
  (close_inherited_fds; exec nsenter --net="/run/netns/$(ns "$CLIENT")" dnsmasq --conf-file=/dev/null --port=0 --user=root \
    --interface=nclab-c --bind-interfaces \
    --dhcp-range="$DHCP_RANGE" --dhcp-authoritative --no-ping \
    --dhcp-option=option:router --dhcp-option=option:dns-server \
    --dhcp-leasefile="$(dhcp_leases)" --pid-file="$pidfile" \
    --log-dhcp --log-facility="$LAB/dnsmasq.log") ||
    die "dnsmasq did not start; see $LAB/dnsmasq.log"
  for _ in $(seq 1 50); do alive "$pidfile" && return 0; sleep 0.1; done
  die "dnsmasq wrote no pid file $pidfile; see $LAB/dnsmasq.log"
}

# libvirt's view of the segment in a node's daemon: the network `lab`, guests' taps on ncbr0.
lab_network_up() {
  local n=$1 uri xml; uri=$(uri_of "$n"); xml=$(node_dir "$n")/lab-network.xml
  if ! virsh -c "$uri" net-info lab >/dev/null 2>&1; then
    cat >"$xml" <<'EOF'
<network>
  <name>lab</name>
  <forward mode='bridge'/>
  <bridge name='ncbr0'/>
</network>
EOF
    virsh -c "$uri" net-define "$xml" >/dev/null
  fi
  virsh -c "$uri" net-info lab | grep -E '^Autostart: +yes' >/dev/null || virsh -c "$uri" net-autostart lab >/dev/null
  virsh -c "$uri" net-info lab | grep -E '^Active: +yes' >/dev/null || virsh -c "$uri" net-start lab >/dev/null
}

# The lab's CA and one certificate per node naming its address (make-certs.sh), installed in the
# node's private /etc/pki where libvirtd (server and, for peer-to-peer migration, client) and
# QEMU (migration --tls, default_tls_x509_cert_dir) look by default. One node certificate serves
# as server and client: it has both purposes.
certs_up() {
  "$MAKE_CERTS" "$LAB/pki" --nodes=lab-a,lab-b --node-san=lab-a="$(ip_of a)" --node-san=lab-b="$(ip_of b)" \
    >"$LAB/pki.log" 2>&1 || { cat "$LAB/pki.log" >&2; die "make-certs.sh failed"; }
  local n p cert key
  for n in "${NODES[@]}"; do
    p=$(pki_of "$n"); cert=$LAB/pki/node-lab-$n.pem; key=$LAB/pki/node-lab-$n.key
    mkdir -p "$p/CA" "$p/libvirt/private" "$p/qemu"
    install -m 0644 "$LAB/pki/ca.pem" "$p/CA/cacert.pem"
    install -m 0644 "$cert" "$p/libvirt/servercert.pem"
    install -m 0644 "$cert" "$p/libvirt/clientcert.pem"
    install -m 0600 "$key" "$p/libvirt/private/serverkey.pem"
    install -m 0600 "$key" "$p/libvirt/private/clientkey.pem"
    install -m 0644 "$LAB/pki/ca.pem" "$p/qemu/ca-cert.pem"
    install -m 0644 "$cert" "$p/qemu/server-cert.pem"
    install -m 0644 "$cert" "$p/qemu/client-cert.pem"
    install -m 0600 "$key" "$p/qemu/server-key.pem"
    install -m 0600 "$key" "$p/qemu/client-key.pem"
  done
}

# The node's private libvirt directories and its two config files.
prepare_node() {
  local n=$1 d; d=$(node_dir "$n")
  for sub in "${LIBVIRT_DIRS[@]}"; do mkdir -p "$d/$sub/libvirt"; done
  mkdir -p "$d/node/images" "$d/node/disks" "$d/node/consoles"
  if [[ ! -f $d/etc/libvirt/.copied ]]; then
    cp -a /etc/libvirt/. "$d/etc/libvirt/"
    # The copy must not bring the system daemon's guests, pools or networks along.
    rm -rf "$d"/etc/libvirt/qemu/*.xml "$d"/etc/libvirt/qemu/autostart \
      "$d"/etc/libvirt/storage/*.xml "$d"/etc/libvirt/storage/autostart \
      "$d"/etc/libvirt/qemu/networks/autostart
    # QEMU's capabilities cache spares each daemon a ~10 s probe on its first call.
    [[ -d /var/cache/libvirt ]] && cp -a /var/cache/libvirt/. "$d/cache/libvirt/" 2>/dev/null || true
    touch "$d/etc/libvirt/.copied"
  fi
  local ip; ip=$(ip_of "$n")
  cat >"$d/etc/libvirt/libvirtd.conf" <<EOF
# written by lab.sh for lab node $n
# TLS on 16514 beside plain TCP on 16509: agents choose (lab.sh up --tls). A TLS client needs a
# certificate of the lab's CA (no tls_allowed_dn_list: any); the server's names the node's address.
listen_tls = 1
listen_tcp = 1
listen_addr = "$ip"
auth_tls = "none"
auth_tcp = "none"
auth_unix_rw = "none"
unix_sock_group = "root"
unix_sock_rw_perms = "0770"
host_uuid = "$(uuid_of "$n")"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
EOF
  cat >"$d/etc/libvirt/qemu.conf" <<EOF
# written by lab.sh for lab node $n
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
stdio_handler = "file"
migration_address = "$ip"
migration_host = "$ip"
# migration --tls: the node's CA, server and client certificate (its private /etc/pki); the
# target verifies the source's client certificate (default_tls_x509_verify's default, 1).
default_tls_x509_cert_dir = "/etc/pki/qemu"
EOF
  # The tiny guest image, one copy per node as on real hosts. guest-image.sh rebuilds a cached
  # image of another version (and returns at once otherwise); a node's copy of another version
  # than the lab's image is replaced.
  "$ROOT/starter/scripts/guest-image.sh" "$LAB/images"
  if [[ ! -s $d/node/images/tiny/ready ]] || ! cmp -s "$LAB/images/tiny/version" "$d/node/images/tiny/version"; then
    rm -rf "$d/node/images/tiny" && cp -a "$LAB/images/tiny" "$d/node/images/tiny"
  fi
}

daemon_up() {
  local n=$1 d pidfile; d=$(node_dir "$n"); pidfile=$(daemon_pidfile "$n")
  if alive "$pidfile"; then
    # A daemon from an older lab.sh has no TLS listener and no /etc/pki: restarting it here would
    # leave its guests' QEMUs to a new daemon behind the test's back; say what to do instead.
    in_node "$n" timeout 2 bash -c "echo >/dev/tcp/$(ip_of "$n")/$TLS_PORT" 2>/dev/null ||
      die "libvirtd of node $n runs without a TLS listener on $(ip_of "$n"):$TLS_PORT (started by an older lab.sh): lab.sh down && lab.sh up"
    return 0
  fi
  rm -f "$pidfile" "$(socket_of "$n")"
  local mounts=""
  for sub in "${LIBVIRT_DIRS[@]}"; do
    local target
    case $sub in etc) target=/etc/libvirt ;; run) target=/run/libvirt ;; *) target=/var/$sub/libvirt ;; esac
    mkdir -p "$target"
    mounts+="mount --bind '$d/$sub/libvirt' '$target' && "
  done
  mkdir -p /etc/pki
  mounts+="mount --bind '$(pki_of "$n")' /etc/pki && "
  # nsenter keeps /sys (and with it the cgroups libvirt needs); `ip netns exec` would remount it.
  (close_inherited_fds; exec setsid nsenter --net="/run/netns/$(ns "$n")" unshare -m -u --propagation private \
    bash -c "${mounts} hostname novacron-lab-$n && exec libvirtd --listen -f '$d/etc/libvirt/libvirtd.conf' -p '$pidfile'") \
    >>"$d/libvirtd.stdout" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    virsh -c "$(uri_of "$n")" version >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "libvirtd of node $n did not answer within 30 s; see $d/libvirtd.stdout and $d/log/libvirt/libvirtd.log"
}

# Runs a command inside node n: the network and mount namespaces of its libvirtd.
in_node() {
  local n=$1; shift
  alive "$(daemon_pidfile "$n")" || die "libvirtd of node $n is not running (lab.sh up)"
  nsenter --target "$(cat "$(daemon_pidfile "$n")")" --net --mount "$@"
}

agent_jar() { echo "$ROOT/activities-host/target/novacron-activities-host-$VERSION-exec.jar"; }

# The lab agents' ports. Both listen in the root namespace beside a local stack's agents (7950
# transfer and 9464 metrics for the host agent, 7951 and 9465 for the GPU agent), so they start
# at NOVACRON_LAB_PORT_BASE (7960: transfer 7961/7962, metrics 9471/9472 by default) and move up
# past any port something already listens on. The choice is written to $LAB/run/agent-lab-<n>.ports.
PORT_BASE=${NOVACRON_LAB_PORT_BASE:-7960}
METRICS_BASE=${NOVACRON_LAB_METRICS_BASE:-9470}

listening() { ss -Htln "sport = :$1" 2>/dev/null | grep . >/dev/null; }
free_port() { # first port from $1 up that nothing listens on and no other lab agent took
  local p=$1
  while listening "$p" || grep -h "=$p\$" "$LAB"/run/agent-lab-*.ports 2>/dev/null | grep . >/dev/null; do
    p=$((p + 1))
  done
  echo "$p"
}
ports_file() { echo "$LAB/run/agent-lab-$1.ports"; }
node_index() { case $1 in a) echo 1 ;; b) echo 2 ;; esac; }

agent_up() {
  local n=$1 pidfile; pidfile=$(agent_pidfile "$n")
  alive "$pidfile" && return 0
  [[ -f $(agent_jar) ]] || die "no host agent jar at $(agent_jar): build it (mvn -B -o -pl activities-host -am package -DskipTests)"
  mkdir -p "$LAB/run" "$LAB/logs"
  rm -f "$(ports_file "$n")"
  local transfer metrics
  transfer=$(free_port $((PORT_BASE + $(node_index "$n"))))
  metrics=$(free_port $((METRICS_BASE + $(node_index "$n"))))
  printf 'transfer=%s\nmetrics=%s\n' "$transfer" "$metrics" >"$(ports_file "$n")"
  local migration_uri="qemu+tcp://$(ip_of "$n")/system" tls=false
  if [[ $LAB_TLS == 1 ]]; then migration_uri=$(tls_uri_of "$n"); tls=true; fi
  (close_inherited_fds
  NOVACRON_MIGRATION_TLS=$tls NOVACRON_TRANSFER_HOST=127.0.0.1 NOVACRON_TRANSFER_PORT=$transfer NOVACRON_METRICS_PORT=$metrics \
    exec setsid java -jar "$(agent_jar)" --node="lab-$n" --libvirt-uri="$(uri_of "$n")" \
    --data-dir="$(node_dir "$n")/node" --temporal="127.0.0.1:$TEMPORAL_PORT" --namespace=default \
    --migration-uri="$migration_uri" \
    ) >>"$LAB/logs/agent-lab-$n.log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# An agent is up once it listens on its transfer port (it binds it before it polls Temporal and
# dies at once when it cannot). One that exits meanwhile fails `up` with the end of its log.
agent_wait() {
  local n=$1 pidfile transfer; pidfile=$(agent_pidfile "$n")
  transfer=$(sed -n 's/^transfer=//p' "$(ports_file "$n")")
  for _ in $(seq 1 120); do
    if ! alive "$pidfile"; then
      tail -n 15 "$LAB/logs/agent-lab-$n.log" >&2 || true
      die "the agent of lab-$n exited during start (transfer port $transfer); see $LAB/logs/agent-lab-$n.log"
    fi
    listening "$transfer" && return 0
    sleep 0.5
  done
  die "the agent of lab-$n did not listen on transfer port $transfer within 60 s; see $LAB/logs/agent-lab-$n.log"
}

cmd_up() {
  [[ $(id -u) == 0 ]] || die "the lab needs root (namespaces, bind mounts)"
  local agents=${NOVACRON_LAB_AGENTS:-0}
  LAB_TLS=${NOVACRON_LAB_TLS:-0}
  for arg in "$@"; do
    case $arg in
      --agents) agents=1 ;;
      --tls) LAB_TLS=1 ;;
      *) die "unknown option '$arg': lab.sh up [--agents] [--tls]" ;;
    esac
  done
  mkdir -p "$LAB"
  network_up
  dhcp_up
  certs_up
  for n in "${NODES[@]}"; do prepare_node "$n"; done
  for n in "${NODES[@]}"; do daemon_up "$n"; done
  for n in "${NODES[@]}"; do lab_network_up "$n"; done
  # Peer-to-peer migration goes from a's daemon to b's TCP listener (and back) over the veth.
  local from to
  while read -r from to; do
    nsenter --net="/run/netns/$(ns "$from")" timeout 5 bash -c "echo >/dev/tcp/$(ip_of "$to")/16509" 2>/dev/null ||
      die "node $from cannot reach libvirtd of node $to at $(ip_of "$to"):16509"
  done <<<$'a b\nb a'
  # The same over TLS, inside node a with its certificate: handshake, verification and the RPC.
  in_node a virsh -c "$(tls_uri_of b)" version >/dev/null 2>"$LAB/tls-check.err" ||
    die "node a cannot reach libvirtd of node b over TLS ($(tls_uri_of b)): $(cat "$LAB/tls-check.err")"

  if [[ $agents == 1 ]]; then
    for n in "${NODES[@]}"; do agent_up "$n"; done
    for n in "${NODES[@]}"; do agent_wait "$n"; done
  fi
  cmd_status
}

# The lab's guests: every domain of a lab daemon is the lab's, so all of them go.
guests_down() {
  local n=$1 uri; uri=$(uri_of "$n")
  if alive "$(daemon_pidfile "$n")"; then
    for dom in $(virsh -c "$uri" list --all --name 2>/dev/null); do
      virsh -c "$uri" destroy "$dom" >/dev/null 2>&1 || true
      virsh -c "$uri" undefine "$dom" >/dev/null 2>&1 || true
    done
  fi
  # A QEMU whose daemon died already: its own pid file in the node's private /run/libvirt.
  for f in "$(node_dir "$n")"/run/libvirt/qemu/*.pid; do
    [[ -f $f ]] && stop_pid "$f"
  done
  return 0
}

cmd_down() {
  for n in "${NODES[@]}"; do stop_pid "$(agent_pidfile "$n")"; rm -f "$(ports_file "$n")"; done
  for n in "${NODES[@]}"; do
    guests_down "$n"
    stop_pid "$(daemon_pidfile "$n")"
    rm -f "$(socket_of "$n")"
    # Runtime state only; disks, consoles, images and config stay for the next `up`.
    rm -rf "$(node_dir "$n")"/run/libvirt/*
  done
  stop_pid "$(dhcp_pidfile)"
  rm -f "$(dhcp_leases)"
  for n in "${NODES[@]}" "$CLIENT"; do
    if [[ -e /run/netns/$(ns "$n") ]]; then ip netns del "$(ns "$n")"; fi
  done
  say "down"
}

cmd_status() {
  local rc=0
  for n in "${NODES[@]}"; do
    local state=stopped
    if alive "$(daemon_pidfile "$n")" && virsh -c "$(uri_of "$n")" version >/dev/null 2>&1; then
      state="running (pid $(cat "$(daemon_pidfile "$n")"))"
    else
      rc=3
    fi
    local agent=""
    if alive "$(agent_pidfile "$n")"; then
      agent="  agent lab-$n (pid $(cat "$(agent_pidfile "$n")"), $(paste -sd' ' "$(ports_file "$n")" 2>/dev/null))"
    elif [[ -f $(agent_pidfile "$n") ]]; then
      agent="  agent lab-$n NOT RUNNING (see $LAB/logs/agent-lab-$n.log)"; rc=3
    fi
    printf 'node %s  %-10s %-22s %s  (peers: %s)%s\n' "$n" "$(ip_of "$n")" "$state" "$(uri_of "$n")" \
      "$(tls_uri_of "$n")" "$agent"
  done
  if alive "$(dhcp_pidfile)"; then
    printf 'client    %-10s dhcp running (dnsmasq pid %s, %s leases in %s)\n' "$(ip_of "$CLIENT")" \
      "$(cat "$(dhcp_pidfile)")" "$(wc -l <"$(dhcp_leases)" 2>/dev/null || echo 0)" "$(dhcp_leases)"
  else
    printf 'client    %-10s dhcp stopped\n' "$(ip_of "$CLIENT")"; rc=3
  fi
  echo "lab dir: $LAB"
  return $rc
}

case ${1:-help} in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  uri)
    case ${3:-} in
      "") uri_of "${2:?usage: lab.sh uri <a|b> [--tls]}" ;;
      --tls) tls_uri_of "$2" ;;
      *) die "usage: lab.sh uri <a|b> [--tls]" ;;
    esac ;;
  exec) [[ $# -ge 3 ]] || die "usage: lab.sh exec <a|b> CMD..."; n=$2; shift 2; ip_of "$n" >/dev/null; in_node "$n" "$@" ;;
  *) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' ;;
esac
