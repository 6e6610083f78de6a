#!/usr/bin/env bash
# Transfer engine benchmark: builds the host agent's jar and runs
# io.novacron.host.transfer.bench.TransferBench, which writes docs/bench/transfer.md and
# docs/bench/transfer.json.
#
#   starter/scripts/bench-transfer.sh                      # 256 MiB loopback + 64 MiB on 100 Mbit/s, 40 ms
#   starter/scripts/bench-transfer.sh --size=1g --runs=3   # bigger, median of three
#   starter/scripts/bench-transfer.sh --wan-mbit=0         # loopback only
#
# Options: --size (1m..1g), --wan-size, --wan-mbit (0 skips), --wan-rtt-ms, --runs, --out,
# --work, --profiles=loopback,wan. Baselines need zstd, nc (OpenBSD), rsync and GNU time
# (apt-get install zstd netcat-openbsd rsync time); rows whose tool is missing are skipped.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

# Offline first (keeps a shared build machine quiet); online only if a dependency is missing.
mvn -B -q -o -pl activities-host -am package -DskipTests || mvn -B -q -pl activities-host -am package -DskipTests

jar="$(ls activities-host/target/novacron-activities-host-*-exec.jar | head -n 1)"
for tool in zstd nc rsync /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || echo "bench-transfer: $tool not found; rows that need it are skipped" >&2
done

# The jar is Spring Boot's executable layout: PropertiesLauncher runs another main class from it.
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dloader.main=io.novacron.host.transfer.bench.TransferBench \
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher "$@"
