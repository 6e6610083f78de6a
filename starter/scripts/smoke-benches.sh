#!/usr/bin/env bash
# smoke-benches.sh: the CI smoke of the benchmarks that need the product running, where a JUnit
# test cannot hold them (BenchSmokeIT covers transfer, shard and projection in-process; the drain
# and scale benches have DrainScaleTest and ProvisionScaleTest). Run by `novacron test` after the
# Maven build, on the jars it built.
#
#   starter/scripts/smoke-benches.sh
#
# 1. The API bench (`novacron bench api`, starter/scripts/bench-api.sh) end to end: a scratch
# `novacron up` without agents on free ports and a scratch data directory (never the operator's
# /var/lib/novacron or ports), the tables seeded through SQL with 200 runs and 20 VMs, one short
# wrk round and one fixed-rate round per endpoint, then the report it wrote is checked for
# functional errors only: every endpoint measured in both kinds of round, no failed request, the
# seeded rows counted, api.md written. Never a time: the figures come from the full command.
# 2. The Temporal persistence bench (`novacron bench temporal`) with one run of two steps per mode.
# About 1.5 minutes. Stops what it started and removes the scratch directory, also on failure.
#
# Not here: the failover bench, which needs the real Temporal server build (`novacron cluster up`,
# about 5 minutes of `go install` on a fresh machine); docs/bench/failover.md has its figures and
# starter/scripts/cluster-smoke.sh checks that topology by hand.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
SCRATCH=$(mktemp -d /tmp/novacron-bench-smoke.XXXXXX)
say() { printf 'smoke-benches: %s\n' "$*"; }

# A port nothing listens on now (the kernel's pick, released at once).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

export NOVACRON_DATA_DIR=$SCRATCH/data NOVACRON_AGENTS=none NOVACRON_NO_INSTALL=1 NOVACRON_NO_BUILD=1
NOVACRON_HTTP_PORT=$(free_port)
NOVACRON_TEMPORAL_PORT=$(free_port)
NOVACRON_TEMPORAL_UI_PORT=$(free_port)
NOVACRON_PG_PORT=$(free_port)
export NOVACRON_HTTP_PORT NOVACRON_TEMPORAL_PORT NOVACRON_TEMPORAL_UI_PORT NOVACRON_PG_PORT
# An external database would be seeded instead of the scratch one: never in a smoke.
unset NOVACRON_DATABASE_URL

cleanup() {
  "$ROOT/starter/bin/novacron" down >/dev/null 2>&1 || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

say "api bench: a control plane on 127.0.0.1:$NOVACRON_HTTP_PORT, data in $NOVACRON_DATA_DIR"
if ! "$ROOT/starter/bin/novacron" up >"$SCRATCH/up.log" 2>&1; then
  cat "$SCRATCH/up.log" >&2
  tail -n 40 "$NOVACRON_DATA_DIR"/logs/*.log >&2 2>/dev/null || true
  say "FAIL the control plane did not come up" >&2
  exit 1
fi

report=$SCRATCH/report
"$ROOT/starter/scripts/bench-api.sh" --label=smoke --runs=200 --vms=20 --connections=1 --seconds=1 \
  --rate=20 --rate-seconds=1 --out="$report"

# Functional checks only: each endpoint in a wrk round and a fixed-rate round, no failed request,
# the rows the seed made, the report written.
failures=$(jq -r '
  [.rounds[] | select(.label == "smoke")] as $r
  | ([ "/api/v1/runs", "/api/v1/vms" ][] as $p | [ "wrk", "rate" ][] as $k
      | select([$r[] | select(.path == $p and .kind == $k)] | length == 0)
      | "no \($k) round of \($p)"),
    ($r[] | select(.errors != 0) | "\(.path) \(.kind): \(.errors) failed requests"),
    ($r[] | select(.requests < 1) | "\(.path) \(.kind): no request sent"),
    ($r[] | select(.path == "/api/v1/runs" and .rows < 200) | "/api/v1/runs counts \(.rows) rows, seeded 200"),
    ($r[] | select(.path == "/api/v1/vms" and .rows < 20) | "/api/v1/vms counts \(.rows) rows, seeded 20")
' "$report/api.json")
[[ -s $report/api.md ]] || failures+=$'\n'"api.md is missing or empty"
if [[ -n ${failures//[[:space:]]/} ]]; then
  printf '%s\n' "$failures" | sed '/^$/d; s/^/smoke-benches: FAIL /' >&2
  exit 1
fi
say "ok   api bench: $(jq '[.rounds[] | select(.label == "smoke")] | length' "$report/api.json") rounds, every request answered"

# The Temporal persistence bench: every mode ran its workflows to the end (the bench fails
# otherwise), strace counted, and the durable file modes did sync (a count of 0 there would mean
# the fsyncs went uncounted, not that there were none).
temporal_report=$SCRATCH/temporal
"$ROOT/starter/scripts/bench-temporal.sh" --runs=1 --steps=2 --out="$temporal_report"
failures=$(jq -r '
  (["memory", "rollback", "wal-full", "wal-normal", "wal-full-20rps"] - [.results[].mode] | .[] | "no result for mode \(.)"),
  (.results[] | select(.mode == "rollback" or .mode == "wal-full") | select(.fsyncs < 1)
    | "\(.mode): no fsync counted")
' "$temporal_report/temporal.json")
[[ -s $temporal_report/temporal.md ]] || failures+=$'\n'"temporal.md is missing or empty"
if [[ -n ${failures//[[:space:]]/} ]]; then
  printf '%s\n' "$failures" | sed '/^$/d; s/^/smoke-benches: FAIL /' >&2
  exit 1
fi
say "ok   temporal bench: $(jq ".results | length" "$temporal_report/temporal.json") modes, fsyncs counted"
