#!/usr/bin/env bash
# Migration benchmark on the two-node lab: builds the benchmark jar (module bench), brings the lab up (no
# agents: the benchmark runs both nodes' activities itself, against a Temporal dev server of its
# own on a free port), runs io.novacron.bench.migrate.MigrationBench, which writes
# docs/bench/migrate.md and docs/bench/migrate.json, and takes the lab down again. Every migration
# is watched by NetProbe from the lab's client namespace novacron-c (network-visible downtime,
# whether the client's TCP connection survived): the guest has a NIC on the lab network.
#
#   starter/scripts/bench-migrate.sh                       # 3 rounds of live, live-mt-ac, warm, cold
#   starter/scripts/bench-migrate.sh --runs=5 --sets=live,warm
#
# Options: --runs (rounds per set), --sets (live,live-mt-ac,warm,cold by default; also live-mirror: no disk pre-copy, live-precopy: the pre-copy asked for), --memory-mib, --out,
# --histories=DIR (each MigrateVm's Temporal history as JSON), --directions=ab|alternate (alternate:
# even rounds run virsh a->b, then MigrateVm b->a, so that both see both directions), --temporal=
# wal-full|rollback|memory|wal-normal|wal-full-20rps (the bench's Temporal storage; wal-full, the product's, by default).
# --disk-data-mib=N writes N MiB of random bytes into the guest's disk before it boots (a disk that
# holds data; 0, the default, leaves it sparse and empty).
# Needs root, libvirt, QEMU and the temporal CLI. Each round is two migrations (MigrateVm a->b,
# plain virsh b->a), each inside a NetProbe window (1 s before, 1 s after, 8 s after warm and cold);
# a default run is 24 migrations, about 5 minutes on 2 cores (longer when a round fails: the
# probe waits 30 s for a guest that stopped answering, then a fresh guest boots).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
[[ $(id -u) == 0 ]] || { echo "bench-migrate: the lab needs root" >&2; exit 1; }
command -v temporal >/dev/null || { echo "bench-migrate: needs the temporal CLI (novacron install)" >&2; exit 1; }

# Offline first (keeps a shared build machine quiet); online only if a dependency is missing.
mvn -B -q -o -pl bench -am package -DskipTests || mvn -B -q -pl bench -am package -DskipTests
jar="$(ls bench/target/novacron-bench-*-exec.jar | head -n 1)"

lab="$root/starter/scripts/lab.sh"
trap '"$lab" down >/dev/null 2>&1 || true' EXIT
"$lab" up

# The jar is Spring Boot's executable layout: PropertiesLauncher runs another main class from it.
# The client probe (NetProbe) runs in novacron-c in a JVM of its own, from the module's classes.
[[ -e /run/netns/novacron-c ]] || { echo "bench-migrate: no client namespace novacron-c after lab up" >&2; exit 1; }
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dnovacron.bench.probe-classpath="$root/bench/target/classes" \
  -Dloader.main=io.novacron.bench.migrate.MigrationBench \
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher "$@"
