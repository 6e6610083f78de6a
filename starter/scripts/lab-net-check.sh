#!/usr/bin/env bash
# lab-net-check.sh: proves by hand that a guest on the lab's L2 segment keeps its MAC, its address
# and a client's TCP connection across a live migration, and measures the downtime that client
# sees (docs/lab.md, "The guests' network").
#
#   starter/scripts/lab-net-check.sh [--runs=N] [--memory-mib=128]
#
# Per run: the tiny guest, with a virtio NIC on libvirt network `lab`, is defined and started on
# node a with virsh; the script waits for `novacron-guest: ip <addr>` on its console, checks that
# dnsmasq's lease file maps the guest's MAC to that address and that the client namespace
# (novacron-c) pings it, starts io.novacron.bench.net.NetProbe in novacron-c against the guest's
# echo service (TCP 7), migrates the guest a -> b (`virsh migrate --live --p2p --copy-storage-all`,
# target disk created first), stops the probe and asserts: the guest runs on b with the same MAC,
# the lease still maps it to the same address, the client still pings it, the probe's ONE
# connection survived and every message came back. Prints the probe's longest echo gap and
# libvirt's own downtime (`virsh domjobinfo --completed` on the source). The guest is removed at
# the end of each run; a lab this script brought up is taken down again, one already up is left up.
# Exit status 0 when every run passed. Needs root, the lab's packages and a JDK (javac).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
LAB=${NOVACRON_LAB_DIR:-/var/lib/novacron/lab}
LABSH="$ROOT/starter/scripts/lab.sh"
RUNS=1
MEMORY_MIB=128
for arg in "$@"; do
  case $arg in
    --runs=*) RUNS=${arg#--runs=} ;;
    --memory-mib=*) MEMORY_MIB=${arg#--memory-mib=} ;;
    *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
[[ $RUNS =~ ^[0-9]+$ && $MEMORY_MIB =~ ^[0-9]+$ ]] || { echo "lab-net-check: --runs and --memory-mib take numbers" >&2; exit 2; }

VM=netcheck
UUID=6e6f7661-6e65-7400-0000-000000000001 # fixed: the guest is defined on both daemons
MAC=52:54:00:77:00:10
CLIENT_NS=/run/netns/novacron-c

say() { printf 'lab-net-check: %s\n' "$*"; }
die() { printf 'lab-net-check: FAILED: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
in_client() { nsenter --net="$CLIENT_NS" "$@"; }
ping_client() { # address: three pings from the client namespace
  if command -v ping >/dev/null; then in_client ping -c 3 -W 2 "$1"; else in_client busybox ping -c 3 -W 2 "$1"; fi
}
json_field() { sed -n "s/.*\"$2\":\\(\"[^\"]*\"\\|[^,}]*\\).*/\\1/p" <<<"$1"; }

[[ $(id -u) == 0 ]] || die "the lab needs root"
work=$(mktemp -d)
probe_pid=""
lab_was_up=0
"$LABSH" status >/dev/null 2>&1 && lab_was_up=1

A=$("$LABSH" uri a)
B=$("$LABSH" uri b)
disk_of() { echo "$LAB/$1/node/disks/$VM.qcow2"; }
console_of() { echo "$LAB/$1/node/consoles/$VM.log"; }

remove_guest() {
  for n in a b; do
    local uri; uri=$("$LABSH" uri "$n")
    virsh -c "$uri" destroy "$VM" >/dev/null 2>&1 || true
    virsh -c "$uri" undefine "$VM" >/dev/null 2>&1 || true
    rm -f "$(disk_of "$n")" "$(console_of "$n")"
  done
}

cleanup() {
  [[ -n $probe_pid ]] && kill "$probe_pid" 2>/dev/null || true
  if "$LABSH" status >/dev/null 2>&1; then remove_guest; fi
  if [[ $lab_was_up == 0 ]]; then "$LABSH" down >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The probe: the bench module's classes when they are current, else compiled here (plain JDK).
probe_src="$ROOT/bench/src/main/java/io/novacron/bench/net"
probe_cp="$ROOT/bench/target/classes"
if [[ ! -f $probe_cp/io/novacron/bench/net/NetProbe.class ||
  -n $(find "$probe_src" -newer "$probe_cp/io/novacron/bench/net/NetProbe.class" -name '*.java') ]]; then
  probe_cp="$work/classes"
  javac -d "$probe_cp" "$probe_src"/*.java
fi

"$LABSH" up >/dev/null
[[ -S $LAB/a/run/libvirt/libvirt-sock ]] || die "lab up left no daemon on node a"

# The guest's XML for node <n>: like the project's DomainXml (direct kernel boot, serial to a
# file, TCG), plus one virtio NIC on the lab's segment with a fixed MAC.
domain_xml() {
  local n=$1 images="$LAB/$1/node/images/tiny"
  cat <<EOF
<domain type='qemu'>
  <name>$VM</name>
  <uuid>$UUID</uuid>
  <memory unit='MiB'>$MEMORY_MIB</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>$images/vmlinuz</kernel>
    <initrd>$images/initrd.img</initrd>
    <cmdline>$(cat "$images/cmdline")</cmdline>
  </os>
  <features><acpi/></features>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$(disk_of "$n")'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'>
      <source network='lab'/>
      <mac address='$MAC'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='$(console_of "$n")' append='on'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}

wait_console() { # node, text, seconds -> prints the elapsed time, fails on timeout
  local file; file=$(console_of "$1")
  local deadline=$(($(date +%s) + $3))
  until [[ -f $file ]] && grep -aF "$2" "$file" >/dev/null; do
    (($(date +%s) < deadline)) || die "no \"$2\" on $1's console within $3 s: $(tail -c 400 "$file" 2>/dev/null)"
    sleep 0.1
  done
}
mac_on() { virsh -c "$1" dumpxml "$VM" | sed -n "s/.*<mac address='\\([^']*\\)'.*/\\1/p" | head -n 1; }
lease_ip() { awk -v mac="$MAC" '$2 == mac { print $3 }' "$LAB/dnsmasq.leases"; }

summary=()
for run in $(seq 1 "$RUNS"); do
  say "run $run of $RUNS"
  remove_guest
  qemu-img create -q -f qcow2 "$(disk_of a)" 64M
  domain_xml a >"$work/a.xml"
  domain_xml b >"$work/b.xml"
  virsh -c "$A" define "$work/a.xml" >/dev/null
  t0=$(now)
  virsh -c "$A" start "$VM" >/dev/null
  wait_console a "novacron-guest: up" 120
  t_up=$(now)
  wait_console a "novacron-guest: ip " 120
  t_ip=$(now)
  ip=$(grep -aoE 'novacron-guest: ip [0-9.]+' "$(console_of a)" | tail -n 1 | awk '{print $3}')
  say "guest up after $(secs "$t0" "$t_up") s, address $ip after $(secs "$t0" "$t_ip") s (DHCP $(secs "$t_up" "$t_ip") s after up)"

  [[ $(lease_ip) == "$ip" ]] || die "the lease file maps $MAC to '$(lease_ip)', the guest says $ip"
  [[ $(mac_on "$A") == "$MAC" ]] || die "the guest's MAC on a is $(mac_on "$A")"
  ping_client "$ip" >"$work/ping-before" || die "novacron-c cannot ping $ip: $(cat "$work/ping-before")"

  # The probe: ONE connection to the echo service, stdin from a fifo this script holds open.
  mkfifo "$work/probe-in"
  in_client java -cp "$probe_cp" io.novacron.bench.net.NetProbe "$ip" 7 \
    <"$work/probe-in" >"$work/probe.json" 2>"$work/probe.err" &
  probe_pid=$!
  exec 7>"$work/probe-in"
  for _ in $(seq 1 100); do grep -q connected "$work/probe.err" 2>/dev/null && break; sleep 0.1; done
  grep -q connected "$work/probe.err" || die "the probe did not connect: $(cat "$work/probe.err")"
  sleep 2

  qemu-img create -q -f qcow2 "$(disk_of b)" 64M
  t_mig=$(now)
  # The source stays defined (shut off) so that its completed job's statistics can be read.
  virsh -c "$A" migrate --live --p2p --persistent --copy-storage-all --unsafe \
    --xml "$work/b.xml" --persistent-xml "$work/b.xml" "$VM" qemu+tcp://10.77.0.2/system >/dev/null ||
    die "virsh migrate failed"
  t_done=$(now)
  virsh -c "$A" domjobinfo --completed "$VM" >"$work/jobinfo" 2>&1 || true
  downtime=$(awk -F: '/^Total downtime/ { gsub(/[^0-9]/, "", $2); print $2 }' "$work/jobinfo")
  sleep 3

  exec 7>&-
  wait "$probe_pid" || true
  probe_pid=""
  rm -f "$work/probe-in"
  json=$(cat "$work/probe.json")
  [[ -n $json ]] || die "the probe printed no report: $(cat "$work/probe.err")"

  [[ $(virsh -c "$B" domstate "$VM" 2>/dev/null) == running ]] || die "the guest does not run on b"
  [[ $(virsh -c "$A" domstate "$VM" 2>/dev/null) != running ]] || die "the guest still runs on a"
  virsh -c "$A" undefine "$VM" >/dev/null
  [[ $(mac_on "$B") == "$MAC" ]] || die "the guest's MAC on b is $(mac_on "$B")"
  [[ $(lease_ip) == "$ip" ]] || die "after the move the lease maps $MAC to '$(lease_ip)', not $ip"
  [[ $(grep -acE 'novacron-guest: ip ' "$(console_of b)") == 0 ]] || die "the guest asked for a new address on b"
  beat=$(grep -aoE 'heartbeat [0-9]+' "$(console_of b)" | tail -n 1)
  [[ -n $beat ]] || die "no heartbeat on b's console"
  ping_client "$ip" >"$work/ping-after" || die "novacron-c cannot ping $ip after the move"
  [[ $(json_field "$json" same_connection) == true ]] || die "the probe's connection did not survive: $json"
  [[ $(json_field "$json" lost) == 0 ]] || die "echoes were lost: $json"

  gap=$(json_field "$json" longest_gap_ms)
  line="run $run: address $ip (DHCP $(secs "$t_up" "$t_ip") s), migration $(secs "$t_mig" "$t_done") s, libvirt downtime ${downtime:-?} ms, probe longest gap $gap ms, rtt p50 $(json_field "$json" rtt_p50_ms) ms p99 $(json_field "$json" rtt_p99_ms) ms, sent $(json_field "$json" sent), same connection"
  say "$line"
  say "probe: $json"
  summary+=("$line")
  remove_guest
done

say "all $RUNS run(s) passed: same MAC $MAC, same address, same TCP connection across a -> b"
printf '  %s\n' "${summary[@]}"
