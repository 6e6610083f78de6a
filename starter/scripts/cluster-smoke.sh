#!/usr/bin/env bash
# cluster-smoke.sh: the cluster end to end, by hand (not in CI: building the Temporal server
# takes about five minutes). Brings `novacron cluster up` up, checks that the Temporal frontend
# refuses clients without a certificate (plaintext, and TLS without a client certificate) and
# answers one with, creates one VM through each control-plane replica (libvirt's test driver,
# `vm create --watch` through the Java CLI: a ProvisionVm workflow on the four-process Temporal
# server, every connection to it mutual TLS), checks that both replicas and HAProxy's address list
# both VMs and both runs SUCCEEDED, that HAProxy spreads /api over both replicas and keeps a
# dashboard session on one, shows `cluster status`, deletes the VMs, then kills replica 2 with
# SIGKILL under a stream of API requests to HAProxy's address: none may fail once HAProxy has
# marked it down (those before are counted and shown), and brings the cluster down. Exit 0 only
# when every check passed. docs/deploy.md has a recorded run.
#
#   cluster-smoke.sh [--keep]     --keep: leave the cluster (and the VMs) up afterwards
#
# Settings: those of starter/scripts/cluster.sh (NOVACRON_CLUSTER_DIR, ports, ...).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
CLUSTER=$ROOT/starter/scripts/cluster.sh
KEEP=0
for arg in "$@"; do
  case $arg in
    --keep) KEEP=1 ;;
    *) echo "cluster-smoke: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
DATA=${NOVACRON_DATA_DIR:-/var/lib/novacron}
export NOVACRON_CLUSTER_DIR=${NOVACRON_CLUSTER_DIR:-$DATA/cluster}
read -r -a HTTP_PORTS <<<"${NOVACRON_CLUSTER_HTTP_PORTS:-8181 8182}"
PROXY=http://127.0.0.1:${NOVACRON_CLUSTER_PROXY_PORT:-8180}
TEMPORAL=127.0.0.1:${NOVACRON_CLUSTER_TEMPORAL_PORT:-7333}
TLS=$NOVACRON_CLUSTER_DIR/tls
FAILED=0
say() { printf 'cluster-smoke: %s\n' "$*"; }
ok() { printf 'cluster-smoke: ok   %s\n' "$*"; }
bad() { printf 'cluster-smoke: FAIL %s\n' "$*"; FAILED=1; }
api_of() { # replica number, or 0 for HAProxy's address
  if (($1 == 0)); then echo "$PROXY"; else echo "http://127.0.0.1:${HTTP_PORTS[$(($1 - 1))]}"; fi
}
cli() { # replica number (0: HAProxy), CLI arguments...: the Java CLI there, the cluster's token
  local n=$1; shift
  NOVACRON_DATA_DIR=$NOVACRON_CLUSTER_DIR java -jar "$ROOT/starter/target/novacron-starter-0.1.0-SNAPSHOT-exec.jar" \
    "$@" --api="$(api_of "$n")"
}
finish() {
  if ((KEEP)); then say "left up (--keep): novacron cluster down"; else "$CLUSTER" down; fi
}
trap finish EXIT

started=$(date +%s)
"$CLUSTER" up
say "cluster up in $(($(date +%s) - started)) s"

# mTLS: the frontend answers the control plane's certificate and refuses the rest.
health() { temporal operator cluster health --address "$TEMPORAL" "$@" 2>&1; }
out=$(health --tls-cert-path "$TLS/control-plane.pem" --tls-key-path "$TLS/control-plane.key" --tls-ca-path "$TLS/ca.pem") \
  && ok "Temporal frontend answers a client certificate of the cluster's CA: $out" || bad "Temporal with a client certificate: $out"
out=$(health --tls=false) && bad "Temporal frontend answers plaintext: $out" \
  || ok "Temporal frontend refuses plaintext ($(grep -o 'error reading server preface[^"\\]*' <<<"$out" | head -1))"
# The server's refusal is a TLS 1.3 alert after the client's side of the handshake: the client
# reads "tls: certificate required", or, when it writes first, a broken pipe.
out=$(health --tls-ca-path "$TLS/ca.pem") && bad "Temporal frontend answers TLS without a client certificate" \
  || ok "Temporal frontend refuses TLS without a client certificate ($(grep -oE 'tls: [a-z ]+|broken pipe|connection reset by peer' <<<"$out" | head -1))"

suffix=$(date +%H%M%S)
vms=()
for n in 1 2; do
  vm=smoke-$n-$suffix
  vms+=("$vm")
  t0=$(date +%s%N)
  if cli "$n" vm create --name="$vm" --vcpus=1 --memory-mib=128 --disk-gib=1 --image=tiny --watch; then
    ok "vm create $vm through replica $n ($(((($(date +%s%N) - t0) / 1000000))) ms, --watch until done)"
  else
    bad "vm create $vm through replica $n"
  fi
done

TOKEN=$(cat "$NOVACRON_CLUSTER_DIR/admin-token")
for n in 1 2 0; do
  where=$( ((n)) && echo "replica $n" || echo "HAProxy ($PROXY)")
  listed=$(cli "$n" vm list -o json || true)
  for vm in "${vms[@]}"; do
    grep -q "\"name\":\"$vm\"" <<<"${listed//[[:space:]]/}" && ok "$where lists $vm" || bad "$where does not list $vm"
  done
  runs=$(curl -fsS -H "Authorization: Bearer $TOKEN" "$(api_of "$n")/api/v1/runs?type=ProvisionVm&size=200" || true)
  for vm in "${vms[@]}"; do
    python3 -c 'import json,sys; r=[x for x in json.loads(sys.argv[1]) if x.get("subject")==sys.argv[2]]; sys.exit(0 if r and r[0]["state"]=="SUCCEEDED" else 1)' \
      "${runs:-[]}" "$vm" && ok "$where: the ProvisionVm run of $vm SUCCEEDED" || bad "$where: no SUCCEEDED ProvisionVm run for $vm"
  done
done

# HAProxy names the replica that answered in X-NovaCron-Replica.
replica_of() { curl -fsS -o /dev/null -D - "$@" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-novacron-replica" { print $2 }'; }
seen=$(for _ in 1 2 3 4; do replica_of -H "Authorization: Bearer $TOKEN" "$PROXY/api/v1/vms"; done | sort | uniq -c | xargs)
[[ $seen == *cp1* && $seen == *cp2* ]] && ok "HAProxy round-robins /api over both replicas (4 requests: $seen)" \
  || bad "HAProxy sent /api to one replica only (4 requests: $seen)"
jar=$(mktemp)
first=$(replica_of -c "$jar" "$PROXY/")
sticky=$(for _ in 1 2 3; do replica_of -b "$jar" "$PROXY/"; done | sort -u | xargs)
grep -q NOVACRON_CP "$jar" && [[ -n $first && $sticky == "$first" ]] \
  && ok "HAProxy keeps a dashboard session on one replica (cookie NOVACRON_CP: $first, then $sticky)" \
  || bad "dashboard not sticky (first $first, then '$sticky', cookie jar: $(grep -c NOVACRON_CP "$jar") NOVACRON_CP)"
rm -f "$jar"

"$CLUSTER" status || bad "cluster status reports a process or service down"

if ((!KEEP)); then
  for n in 1 2; do cli "$n" vm delete "${vms[$((n - 1))]}" --watch >/dev/null 2>&1 || say "note: deleting ${vms[$((n - 1))]} failed"; done
fi

# Failover: GET /api/v1/vms through HAProxy without a pause, kill -9 replica 2, note when HAProxy
# marks it DOWN (its health check: every second, two failures), go on 5 s. Every request after
# DOWN must succeed; those between the kill and DOWN are counted (HAProxy retries a refused
# connection on the other replica, so few or none fail there either).
load=$(mktemp)
python3 - "$PROXY/api/v1/vms" "$TOKEN" "$load" <<'PY' &
import os, sys, time, urllib.request
url, token, out = sys.argv[1:4]
end = time.time() + 40
with open(out, "w", buffering=1) as f:
    while time.time() < end:
        t = int(time.time() * 1000)
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + token}), timeout=5) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except Exception:
            status = 0
        f.write(f"{t} {status}\n")
        if os.path.exists(out + ".stop"):
            break
PY
loader=$!
sleep 3
proxy_log=$NOVACRON_CLUSTER_DIR/logs/haproxy.log
log_lines=$(wc -l <"$proxy_log")
kill -KILL "$(cat "$NOVACRON_CLUSTER_DIR/run/control-plane-2.pid")"
t_kill=$(date +%s%3N)
t_down=
for _ in $(seq 1 100); do
  [[ $("$CLUSTER" proxy-state 2) == DOWN ]] && { t_down=$(date +%s%3N); break; }
  sleep 0.1
done
sleep 5
echo stop >"$load.stop"
wait "$loader" || true
if [[ -z $t_down ]]; then
  bad "HAProxy did not mark replica 2 DOWN within 10 s of its kill -9"
else
  # Failed: any answer but 200; status 0 is a request without an answer (connection closed).
  read -r before_n before_failed after_n after_failed failures < <(awk -v k="$t_kill" -v d="$t_down" '
    $1 >= k && $1 < d { bn++; if ($2 != 200) { bf++; st = st " " $2 } } $1 >= d { an++; if ($2 != 200) { af++; st = st " " $2 } }
    END { print bn + 0, bf + 0, an + 0, af + 0, (st == "" ? "-" : "status" st) }' "$load")
  say "replica 2 killed (kill -9); HAProxy marked it DOWN after $((t_down - t_kill)) ms"
  ((before_failed == 0)) && ok "between the kill and DOWN: $before_failed of $before_n requests to $PROXY failed" \
    || say "note: between the kill and DOWN: $before_failed of $before_n requests to $PROXY failed ($failures)"
  # HAProxy logs a request it sent to the other replica after a failed try with "+N" retries.
  say "HAProxy sent $(tail -n "+$((log_lines + 1))" "$proxy_log" | grep -cE '/\+[0-9]+ [0-9]+/[0-9]+ "') requests to the other replica after a failed try (connection refused, or no answer to a GET)"
  ((after_n > 0 && after_failed == 0)) && ok "after DOWN: $after_failed of $after_n requests to $PROXY failed" \
    || bad "after DOWN: $after_failed of $after_n requests to $PROXY failed"
fi
rm -f "$load" "$load.stop"
((FAILED == 0)) && say "all checks passed" || say "some checks failed"
exit "$FAILED"
