#!/usr/bin/env bash
# Checkpoint sharding benchmark: builds the GPU agent, generates a ~1.4 GiB Llama-shaped checkpoint
# in a temporary directory, shards it into several TP x PP layouts against plain-copy baselines, and
# writes docs/bench/shard.md and shard.json. Needs ~4 GiB of free temporary space.
#
#   starter/scripts/bench-shard.sh [--layers N] [--repeat N] [--dir TMP] [--out DIR] [--keep]
#
# BENCH_HEAP (default 64m) caps the heap below the size of the largest files and tensors, so the
# run itself shows that sharding never holds one whole. MVN_FLAGS defaults to offline (-o).
set -euo pipefail
cd "$(dirname "$0")/../.."

mvn -B -q ${MVN_FLAGS--o} -pl bench -am package -DskipTests
jar=$(ls bench/target/novacron-bench-*-exec.jar | head -n 1)

# The bench jar's launcher runs any main class in it (PropertiesLauncher).
exec java -Xmx"${BENCH_HEAP:-64m}" \
  -Dloader.main=io.novacron.bench.shard.ShardBench \
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher \
  --out docs/bench "$@"
