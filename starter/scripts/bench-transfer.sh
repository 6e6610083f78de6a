#!/usr/bin/env bash
# Transfer engine benchmark (`novacron bench transfer`): builds the benchmark jar (module bench) and runs
# io.novacron.bench.transfer.TransferBench, which writes docs/bench/transfer.md, .json and .png.
#
#   novacron bench transfer                          # 1 GiB sets on 1 Gbit/s, 256 MiB on 100 Mbit/s + 20 ms RTT
#   novacron bench transfer --size=256m --runs=3     # smaller, median of three
#   novacron bench transfer --profiles=wan           # only the slow link
#   novacron bench transfer --profiles=loopback,lan --methods=engine --report=transfer-tls
#                                                    # the engine with and without TLS only
#
# Options: --profiles=lan,wan,loopback --size --lan-mbit --wan-size --wan-mbit --wan-rtt-ms --runs
# --out --work --tls=on|off --methods=all|engine --report=NAME --certs=DIR (see TransferBench). TLS rows
# need openssl (certificates from deploy/temporal/scripts/make-certs.sh). As root, the links are a real veth between two network
# namespaces made here (ncbench-a 10.203.77.1, ncbench-b 10.203.77.2), rate-limited by tc (tbf)
# and counted by the veth's counters; the JVM runs in ncbench-a and builds the receiver in
# ncbench-b. Not root: a userspace proxy on loopback stands in. Baselines need zstd, nc (OpenBSD),
# rsync and GNU time (the launcher's install step brings them); rows whose tool is missing are skipped.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

# Offline first (keeps a shared build machine quiet); online only if a dependency is missing.
mvn -B -q -o -pl bench -am package -DskipTests || mvn -B -q -pl bench -am package -DskipTests

jar="$(ls bench/target/novacron-bench-*-exec.jar | head -n 1)"
for tool in zstd nc rsync /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || echo "bench-transfer: $tool not found; rows that need it are skipped" >&2
done

# The jar is Spring Boot's executable layout: PropertiesLauncher runs another main class from it.
java_cmd=(java -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn
  -Dloader.main=io.novacron.bench.transfer.TransferBench
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher)

if [[ $(id -u) -ne 0 ]] || ! command -v ip >/dev/null || ! command -v tc >/dev/null; then
  echo "bench-transfer: not root (or no ip/tc): measuring through a userspace proxy on loopback" >&2
  exec "${java_cmd[@]}" "$@"
fi

A=ncbench-a B=ncbench-b
teardown() { for ns in $A $B; do [[ -e /run/netns/$ns ]] && ip netns del "$ns"; done; return 0; }
teardown
trap teardown EXIT
ip netns add $A
ip netns add $B
ip link add ncbench-a0 netns $A type veth peer name ncbench-b0 netns $B
ip -n $A addr add 10.203.77.1/30 dev ncbench-a0
ip -n $B addr add 10.203.77.2/30 dev ncbench-b0
for ns in $A $B; do ip -n "$ns" link set lo up; done
ip -n $A link set ncbench-a0 up
ip -n $B link set ncbench-b0 up

# The JVM lives in the sending namespace; the benchmark itself shapes the veth per profile.
ip netns exec $A "${java_cmd[@]}" --receiver-netns=$B --veth=ncbench-a0:ncbench-b0 --receiver-host=10.203.77.2 "$@"
