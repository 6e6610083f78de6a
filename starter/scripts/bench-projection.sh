#!/usr/bin/env bash
# Llama 3.1 405B deployment projection: measures SHA-256, sharder and transfer-engine rates per
# core on this machine and projects read, shard, transfer, verify and load onto 2 x 8 H100 over
# 25 Gbit/s links; writes docs/bench/projection-405b.md and .json.
#
#   starter/scripts/bench-projection.sh [--rounds N] [--cores N] [--disk-read GBPS] [--disk-write GBPS]
#                                       [--link-gbit N] [--dir TMP] [--out DIR]
#
# MVN_FLAGS defaults to offline (-o).
set -euo pipefail
cd "$(dirname "$0")/../.."

mvn -B -q ${MVN_FLAGS--o} -pl bench -am package -DskipTests
jar=$(ls bench/target/novacron-bench-*-exec.jar | head -n 1)

exec java -Xmx512m \
  -Dloader.main=io.novacron.bench.projection.ProjectionBench \
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher \
  --out docs/bench "$@"
