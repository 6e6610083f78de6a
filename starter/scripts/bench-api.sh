#!/usr/bin/env bash
# REST API benchmark: GET /api/v1/runs and GET /api/v1/vms under load, with the tables grown to the
# sizes the issue names (10,000 runs, 1,000 VMs). Reuses a control plane that answers on
# NOVACRON_HTTP_PORT with a live token in $DATA/admin-token, else starts one with `novacron up`
# (NOVACRON_AGENTS=none: the list endpoints need no agent) and stops it again at the end. Seeds the
# tables through SQL (bench/src/main/resources/api/seed.sql, idempotent: rows named bench-*), then
# runs io.novacron.bench.api.ApiBench: wrk rounds per connection count (Debian's wrk has no -R) and
# one fixed-rate round of its own (open loop), written to docs/bench/api.md and api.json.
#
#   starter/scripts/bench-api.sh [--label=L] [--connections=1,8,32] [--seconds=15] [--rate=200]
#                                [--rate-seconds=20] [--runs=10000] [--vms=1000] [--out=DIR]
#
# --label names the rounds (e.g. before/after a change): a run replaces its own label's rounds in
# api.json and keeps the others. Needs wrk and psql (apt-get install wrk postgresql-client).
# NOVACRON_NO_BUILD=1 runs the bench jar as it is (built before) instead of packaging it first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
DATA=${NOVACRON_DATA_DIR:-/var/lib/novacron}
HTTP_PORT=${NOVACRON_HTTP_PORT:-8080}
PG_PORT=${NOVACRON_PG_PORT:-54329}

runs=10000 vms=1000 nodes=50 out="$root/docs/bench" bench_args=()
for arg in "$@"; do
  case $arg in
    --runs=*) runs=${arg#*=} ;;
    --vms=*) vms=${arg#*=} ;;
    --out=*) out=$(realpath -m "${arg#*=}") ;;
    --label=* | --connections=* | --seconds=* | --rate=* | --rate-seconds=*) bench_args+=("$arg") ;;
    *) echo "usage: $0 [--label=L] [--connections=1,8,32] [--seconds=15] [--rate=200] [--rate-seconds=20] [--runs=N] [--vms=N] [--out=DIR]" >&2; exit 64 ;;
  esac
done
for tool in wrk psql curl; do
  command -v "$tool" >/dev/null || { echo "bench-api: needs $tool (apt-get install wrk postgresql-client curl)" >&2; exit 69; }
done

api="http://127.0.0.1:$HTTP_PORT"
token_file="$DATA/admin-token"
live() {
  [[ -s $token_file ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(cat "$token_file")" \
    "$api/api/v1/nodes") == 200 ]]
}
if live; then
  echo "bench-api: reusing the control plane on $api"
else
  echo "bench-api: starting a control plane on $api (data in $DATA)"
  trap 'NOVACRON_DATA_DIR="$DATA" "$root/starter/bin/novacron" down >/dev/null 2>&1 || true' EXIT
  NOVACRON_AGENTS=none NOVACRON_DATA_DIR="$DATA" "$root/starter/bin/novacron" up
  live || { echo "bench-api: the control plane refuses the token in $token_file" >&2; exit 1; }
fi

# Through SQL, as the issue asks: the API would make each run a Temporal workflow.
db=${NOVACRON_DATABASE_URL:-}
if [[ -n $db ]]; then
  conn=("${db#jdbc:}")
else
  # As the control plane's own role, which owns the tables (the superuser is for administrators);
  # the embedded PostgreSQL requires the scram password `novacron up` generated (docs/security.md).
  conn=(-h 127.0.0.1 -p "$PG_PORT" -U novacron postgres)
  [[ -s $DATA/novacron-password ]] && export PGPASSWORD=$(cat "$DATA/novacron-password")
fi
echo "bench-api: seeding $runs runs and $vms VMs on $nodes nodes"
psql -q -v ON_ERROR_STOP=1 -v runs="$runs" -v vms="$vms" -v nodes="$nodes" "${conn[@]}" \
  -f bench/src/main/resources/api/seed.sql

# NOVACRON_NO_BUILD=1 (as for the launcher): the jar as it is, as CI's smoke runs right after the build.
if [[ ${NOVACRON_NO_BUILD:-0} != 1 ]] || ! compgen -G 'bench/target/novacron-bench-*-exec.jar' >/dev/null; then
  mvn -B -q ${MVN_FLAGS--o} -pl bench -am package -DskipTests
fi
jar="$(ls bench/target/novacron-bench-*-exec.jar | head -n 1)"
java -Dloader.main=io.novacron.bench.api.ApiBench -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher \
  --api="$api" --token-file="$token_file" --lua="$root/bench/src/main/resources/api/latency.lua" \
  --commit="$(git rev-parse --short HEAD)$([[ -z $(git status --porcelain -- web-ui/src) ]] || echo '+')" \
  --out="$out" "${bench_args[@]}"
