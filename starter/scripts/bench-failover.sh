#!/usr/bin/env bash
# Failover benchmark: with runs going, kill -9 each Temporal service in turn, one control-plane
# replica, and restart PostgreSQL, on the cluster of `novacron cluster up`; counts lost runs and
# the recovery time of each case. Writes docs/bench/failover.md and failover.json.
#
#   novacron bench failover [--cases=frontend,history,matching,worker,control-plane,postgres]
#                           [--interval=S] [--settle=S] [--out=DIR]
#
# Load (starter/scripts/failover_load.py): one ProvisionVm every --interval seconds (1), to the two
# replicas in turn, each with an Idempotency-Key; a refused submission is retried with the same key
# on the other replica (up to 180 s). A case: wait --settle seconds (20) of steady load, kill -9 the
# process named by its pid file (PostgreSQL: a fast shutdown, the restart), start it again at once
# with `cluster.sh up` (what systemd's Restart= does after RestartSec), and go on. Afterwards the
# load stops and every accepted run gets up to 240 s to end.
#
#   lost run        a submission never accepted within 180 s, or an accepted run that did not
#                   end SUCCEEDED (FAILED, CANCELLED, or still open after the drain)
#   recovery time   from the kill to the end (SUCCEEDED, as first seen by the poller at 0.5 s) of
#                   the first run submitted after the kill: how long a new request waits for the
#                   cluster to do work again. Restart time: how long `cluster.sh up` took.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
CLUSTER=$ROOT/starter/scripts/cluster.sh
CASES=frontend,history,matching,worker,control-plane,postgres
INTERVAL=1
SETTLE=20
OUT=$ROOT/docs/bench
for arg in "$@"; do
  case $arg in
    --cases=*) CASES=${arg#--cases=} ;;
    --interval=*) INTERVAL=${arg#--interval=} ;;
    --settle=*) SETTLE=${arg#--settle=} ;;
    --out=*) OUT=$(realpath -m "${arg#--out=}") ;;
    *) echo "usage: novacron bench failover [--cases=LIST] [--interval=S] [--settle=S] [--out=DIR]" >&2; exit 64 ;;
  esac
done
DATA=${NOVACRON_DATA_DIR:-/var/lib/novacron}
export NOVACRON_CLUSTER_DIR=${NOVACRON_CLUSTER_DIR:-$DATA/cluster}
CDIR=$NOVACRON_CLUSTER_DIR
read -r -a HTTP_PORTS <<<"${NOVACRON_CLUSTER_HTTP_PORTS:-8181 8182}"
say() { printf 'bench-failover: %s\n' "$*"; }

"$CLUSTER" up >/dev/null
WORK=$(mktemp -d /tmp/novacron-failover.XXXXXX)
STOP=$WORK/stop
python3 "$ROOT/starter/scripts/failover_load.py" --api="http://127.0.0.1:${HTTP_PORTS[0]}" \
  --api="http://127.0.0.1:${HTTP_PORTS[1]}" --token-file="$CDIR/admin-token" --out="$WORK/runs.jsonl" \
  --stop="$STOP" --interval="$INTERVAL" --prefix="fo$(date +%H%M%S)" >"$WORK/load.log" 2>&1 &
load_pid=$!
# On an early exit the load still writes what it saw (runs.jsonl) before it ends.
trap 'touch "$STOP"; say "stopped early; the runs so far: $WORK/runs.jsonl"; wait "$load_pid" || true' EXIT

now() { date +%s.%N; }
cases_json=()
IFS=, read -r -a cases <<<"$CASES"
for c in "${cases[@]}"; do
  case $c in
    frontend | history | matching | worker) name=temporal-$c ;;
    control-plane) name=control-plane-1 ;;
    postgres) name=postgres ;;
    *) echo "bench-failover: unknown case '$c'" >&2; exit 64 ;;
  esac
  sleep "$SETTLE"
  pid=$(cat "$CDIR/run/$name.pid")
  t_kill=$(now)
  if [[ $c == postgres ]]; then
    # A restart: fast shutdown (what `systemctl restart postgresql` does), then start again.
    kill -INT "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  else
    kill -KILL "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  if ! "$CLUSTER" up >"$WORK/up-$c.log" 2>&1; then
    say "cluster up after $c failed ($(tail -n 1 "$WORK/up-$c.log")); once more"
    "$CLUSTER" up >>"$WORK/up-$c.log" 2>&1 || { say "cluster up after $c failed twice: $WORK/up-$c.log"; exit 1; }
  fi
  t_up=$(now)
  say "$c: killed at $t_kill, back after $(python3 -c "print(round($t_up - $t_kill, 1))") s"
  cases_json+=("{\"case\":\"$c\",\"process\":\"$name\",\"killed\":$t_kill,\"restarted\":$t_up}")
done
sleep "$SETTLE"
touch "$STOP"
say "load stopped; waiting for every accepted run to end (up to 240 s)"
wait "$load_pid" || true
trap - EXIT

mkdir -p "$OUT"
python3 - "$WORK/runs.jsonl" "$OUT" "$(IFS=,; echo "[${cases_json[*]}]")" "$INTERVAL" "$SETTLE" <<'PYEND'
import json, sys, datetime
runs = [json.loads(l) for l in open(sys.argv[1])]
out, cases, interval, settle = sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
lost = [r for r in runs if r["state"] != "SUCCEEDED"]
rows = []
for c in cases:
    after = [r for r in runs if r["submitted"] > c["killed"] and r["state"] == "SUCCEEDED" and r["ended"]]
    first = min(after, key=lambda r: r["submitted"]) if after else None
    c["recovery_s"] = round(first["ended"] - c["killed"], 1) if first else None
    c["restart_s"] = round(c["restarted"] - c["killed"], 1)
    window = [r for r in runs if c["killed"] - 1 <= r["submitted"] <= c["restarted"]]
    c["submitted_during"] = len(window)
    c["retried_during"] = sum(1 for r in window if r["attempts"] > 1)
    c["lost_during"] = sum(1 for r in window if r["state"] != "SUCCEEDED")
    rows.append(c)
ok = [r for r in runs if r["state"] == "SUCCEEDED"]
lat = sorted(r["ended"] - r["submitted"] for r in ok)
p = lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))], 1) if lat else None
summary = {"runs": len(runs), "succeeded": len(ok), "lost": len(lost),
           "lost_runs": [{k: r[k] for k in ("name", "run_id", "state", "attempts", "last_error")} for r in lost],
           "latency_p50_s": p(0.5), "latency_p95_s": p(0.95), "latency_max_s": round(lat[-1], 1) if lat else None,
           "cases": rows, "interval_s": float(interval), "settle_s": float(settle),
           "at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
json.dump(summary, open(f"{out}/failover.json", "w"), indent=1)
with open(f"{out}/failover.md", "w") as f:
    f.write(f"""# Failover under load

`novacron bench failover` (starter/scripts/bench-failover.sh), {summary['at']}, on the cluster of
`novacron cluster up` (docs/deploy.md): PostgreSQL 15, the Temporal server v1.32.2 as four processes
(4 history shards), two control-plane replicas, one host agent on libvirt's test driver (the whole
ProvisionVm workflow, no guest), one machine (2 cores, shared with other work while measured).

Load: one ProvisionVm every {interval} s, to the two replicas in turn, each with an
Idempotency-Key; a refused or failed submission is retried with the same key on the other replica.
Each case, after {settle} s of steady load: `kill -9` of the process (PostgreSQL: a fast-shutdown
restart), then started again at once by `cluster.sh up`. Recovery: from the kill to the end of the
first run submitted after it. Restart: until `cluster.sh up` returned (the process healthy again).

**Runs: {summary['runs']}, succeeded {summary['succeeded']}, lost {summary['lost']}.** Latency of a
successful run, submission to end: p50 {summary['latency_p50_s']} s, p95 {summary['latency_p95_s']} s,
max {summary['latency_max_s']} s.

| case | process killed | restart (s) | recovery (s) | runs submitted meanwhile | of them retried | of them lost |
|---|---|---|---|---|---|---|
""")
    for c in rows:
        f.write(f"| {c['case']} | `{c['process']}` | {c['restart_s']} | {c['recovery_s']} | {c['submitted_during']} | {c['retried_during']} | {c['lost_during']} |\n")
    if lost:
        f.write("\nLost runs:\n\n")
        for r in summary["lost_runs"]:
            f.write(f"- `{r['name']}` run `{r['run_id']}`: state {r['state']}, {r['attempts']} attempts, last error {r['last_error']}\n")
    f.write("\nRaw numbers: [failover.json](failover.json).\n")
print(json.dumps({k: summary[k] for k in ("runs", "succeeded", "lost")}), flush=True)
for c in rows:
    print(f"{c['case']:14} restart {c['restart_s']:>6} s  recovery {c['recovery_s']} s  lost {c['lost_during']}")
PYEND
say "wrote $OUT/failover.md"
