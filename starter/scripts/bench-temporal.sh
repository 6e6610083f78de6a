#!/usr/bin/env bash
# Temporal persistence benchmark: what the dev server's storage costs a workflow step, per mode
# (in memory, SQLite's rollback journal, write-ahead log with synchronous=full, which NovaCron's
# single-node Temporal runs, and with synchronous=normal). Per mode a fresh `temporal server
# start-dev` on a free port and a scratch directory, a workflow of sequential no-op activities,
# the server's fsyncs counted with strace. Writes docs/bench/temporal.md and temporal.json.
#
#   starter/scripts/bench-temporal.sh [--runs=10] [--steps=20] [--modes=memory,rollback,wal-full,wal-normal,wal-full-20rps] [--out=DIR]
#
# Needs the temporal CLI and strace (novacron install), and root or ptrace rights over the server.
# NOVACRON_NO_BUILD=1 runs the bench jar as it is. About 2 minutes with the defaults.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
for tool in temporal strace; do
  command -v "$tool" >/dev/null || { echo "bench-temporal: needs $tool (novacron install)" >&2; exit 69; }
done
if [[ ${NOVACRON_NO_BUILD:-0} != 1 ]] || ! compgen -G 'bench/target/novacron-bench-*-exec.jar' >/dev/null; then
  mvn -B -q ${MVN_FLAGS--o} -pl bench -am package -DskipTests
fi
jar="$(ls bench/target/novacron-bench-*-exec.jar | head -n 1)"
args=("$@")
[[ " ${args[*]} " == *" --out="* ]] || args+=(--out="$root/docs/bench")
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dloader.main=io.novacron.bench.temporal.PersistenceBench \
  -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher "${args[@]}"
