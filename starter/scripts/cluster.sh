#!/usr/bin/env bash
# cluster.sh: the production topology on one machine (docs/deploy.md, "A cluster on one machine").
#
#   cluster.sh up       PostgreSQL 15 (Debian package, a database cluster of its own under the data
#                       dir, scram passwords), the Temporal server v1.32.2 on it (persistence and
#                       visibility; schemas set up and updated by Temporal's own sql tool) as four
#                       processes (frontend, history, matching, worker; 4 history shards), two
#                       control-plane replicas on two HTTP ports sharing the PostgreSQL inventory,
#                       and the local host and GPU agents; HAProxy on one address in front of
#                       the two replicas. Temporal runs with mutual TLS, frontend and internode:
#                       a private CA and certificates (deploy/temporal/scripts/make-certs.sh) in
#                       tls/, and every client (replicas, agents, the temporal CLI) presents one
#   cluster.sh down     stop all of it by pid file (PostgreSQL with a fast shutdown); data stays
#   cluster.sh status   each process, each Temporal service's health (frontend: `temporal operator
#                       cluster health`; history, matching, worker: the gRPC health check on their
#                       own ports), that the frontend refuses a client without a certificate, both
#                       replicas' /actuator/health and HAProxy's view of them; exit 3 when
#                       something is down
#   cluster.sh env      the lines that point the CLI at HAProxy's address and the temporal CLI
#                       (and NOVACRON_TEMPORAL* clients) at the frontend with a client certificate
#
# Every command is safe to run twice. `novacron up` (dev server, embedded PostgreSQL) stays the
# default way to run NovaCron locally; the ports below do not clash with it, so both can run.
# Settings (environment):
#   NOVACRON_CLUSTER_DIR        /var/lib/novacron/cluster   postgres/, cp/, node/, logs/, run/, secrets/, tls/
#   NOVACRON_CLUSTER_PG_PORT    54339                       PostgreSQL (127.0.0.1)
#   NOVACRON_CLUSTER_TEMPORAL_PORT 7333                     Temporal frontend gRPC; history 7334, matching 7335,
#                                                           worker 7339, membership 6333-6339, frontend HTTP 7343
#   NOVACRON_CLUSTER_HTTP_PORTS "8181 8182"                 one control-plane replica per port
#   NOVACRON_CLUSTER_PROXY_PORT 8180                        HAProxy in front of both (127.0.0.1)
#   NOVACRON_CLUSTER_NODE       cluster                     the agents' node name
#   NOVACRON_CLUSTER_SHARDS     4                           numHistoryShards (fixed once the schema exists)
#   NOVACRON_TEMPORAL_SERVER    $(go env GOPATH)/bin/server the server binary (built by `up` when missing)
#   NOVACRON_LIBVIRT_URI        test:///default             the host agent's libvirt
#   NOVACRON_AGENTS=none        no local agents
#   NOVACRON_NO_INSTALL=1       never call apt-get or go install
#   NOVACRON_HAPROXY            /usr/sbin/haproxy            the HAProxy binary (package haproxy, 2.6 on Debian 12)
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
DATA=${NOVACRON_DATA_DIR:-/var/lib/novacron}
CDIR=${NOVACRON_CLUSTER_DIR:-$DATA/cluster}
PG_PORT=${NOVACRON_CLUSTER_PG_PORT:-54339}
FRONTEND_PORT=${NOVACRON_CLUSTER_TEMPORAL_PORT:-7333}
read -r -a HTTP_PORTS <<<"${NOVACRON_CLUSTER_HTTP_PORTS:-8181 8182}"
PROXY_PORT=${NOVACRON_CLUSTER_PROXY_PORT:-8180}
HAPROXY=${NOVACRON_HAPROXY:-/usr/sbin/haproxy}
NODE=${NOVACRON_CLUSTER_NODE:-cluster}
SHARDS=${NOVACRON_CLUSTER_SHARDS:-4}
LIBVIRT_URI=${NOVACRON_LIBVIRT_URI:-test:///default}
AGENTS=${NOVACRON_AGENTS:-local}
TEMPORAL_SERVER_VERSION=v1.32.2
# go.temporal.io/server v1.32.2 requires go >= 1.26.10; Debian's Go is older, so `go install`
# fetches this toolchain (shared/guides/STACK.md).
export GOTOOLCHAIN=go1.27.3
VERSION=0.1.0-SNAPSHOT
PG_BIN=${NOVACRON_PG_BIN:-/usr/lib/postgresql/15/bin}
export PATH="$PATH:/usr/local/go/bin:/usr/local/bin"

# Temporal's services in start order, each with its gRPC and membership port (offsets from the
# frontend's port: the layout of Temporal's own development configs, moved by 100).
SERVICES=(history matching frontend worker)
grpc_port() { case $1 in frontend) echo "$FRONTEND_PORT" ;; history) echo $((FRONTEND_PORT + 1)) ;;
  matching) echo $((FRONTEND_PORT + 2)) ;; worker) echo $((FRONTEND_PORT + 6)) ;; esac; }
membership_port() { echo $(($(grpc_port "$1") - 1000)); }
FRONTEND_HTTP_PORT=$((FRONTEND_PORT + 10))
TEMPORAL=127.0.0.1:$FRONTEND_PORT
NAMESPACE=default
# make-certs.sh's files: ca.pem, server.pem (every Temporal service, as server and as client),
# control-plane.pem (the replicas, and this script's temporal CLI calls), node-$NODE.pem (agents).
TLS=$CDIR/tls

say() { printf 'cluster: %s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }
jar() { echo "$ROOT/$1/target/novacron-$1-$VERSION-exec.jar"; }

# ---------------------------------------------------------------------------------------------
# processes: started detached, tracked by pid file, stopped by pid file only

pidfile() { echo "$CDIR/run/$1.pid"; }
running() { local f; f=$(pidfile "$1"); [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null; }

start() { # name, command...
  local name=$1; shift
  if running "$name"; then
    say "$name already runs (pid $(cat "$(pidfile "$name")"))"
    return 0
  fi
  setsid "$@" >>"$CDIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$(pidfile "$name")"
}

stop() { # name [signal]: the signal, up to 20 s, then KILL
  local name=$1 sig=${2:-TERM} f pid
  f=$(pidfile "$name")
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -"$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    say "stopped $name"
  fi
  rm -f "$f"
}

wait_for() { # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "$what did not come up within ${seconds}s; logs: $CDIR/logs/ $(dead_processes)"
}

dead_processes() { # the end of the log of each process that has died
  local f name
  for f in "$CDIR"/run/*.pid; do
    [[ -f $f ]] || continue
    name=$(basename "$f" .pid)
    running "$name" || printf '\n%s exited; the end of its log:\n%s' "$name" "$(tail -n 10 "$CDIR/logs/$name.log")"
  done
}

# ---------------------------------------------------------------------------------------------
# install: the PostgreSQL package and the Temporal server and sql tool, only what is missing

server_bin() {
  if [[ -n ${NOVACRON_TEMPORAL_SERVER:-} ]]; then echo "$NOVACRON_TEMPORAL_SERVER"; return; fi
  echo "$(go_bin_dir)/server"
}
sql_bin() { echo "$(dirname "$(server_bin)")/sql"; }
go_bin_dir() {
  local gobin
  gobin=$(go env GOBIN 2>/dev/null || true)
  [[ -n $gobin ]] && echo "$gobin" || echo "$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
}

install_cluster() {
  local pkgs=()
  [[ -x $PG_BIN/postgres ]] || pkgs+=(postgresql)
  command -v go >/dev/null || pkgs+=(golang-go)
  # The gRPC health checks of history, matching and worker (grpc_serving).
  /usr/bin/python3 -c 'import grpc' 2>/dev/null || pkgs+=(python3-grpcio)
  [[ -x $HAPROXY ]] || pkgs+=(haproxy)
  command -v openssl >/dev/null || pkgs+=(openssl)
  if ((${#pkgs[@]})); then
    [[ ${NOVACRON_NO_INSTALL:-0} != 1 ]] || die "missing ${pkgs[*]} (NOVACRON_NO_INSTALL=1)"
    [[ $(id -u) == 0 ]] || die "missing packages ${pkgs[*]}: run as root or install them"
    say "installing ${pkgs[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" >/dev/null; }
    # The package makes and starts a cluster `main` on 5432; NovaCron uses its own (below) and
    # leaves that one as it is.
  fi
  [[ -x $PG_BIN/postgres ]] || die "no PostgreSQL 15 binaries in $PG_BIN (NOVACRON_PG_BIN)"
  [[ -x $HAPROXY ]] || die "no HAProxy at $HAPROXY (NOVACRON_HAPROXY; Debian package haproxy)"
  if [[ ! -x $(server_bin) || ! -x $(sql_bin) ]]; then
    [[ ${NOVACRON_NO_INSTALL:-0} != 1 ]] || die "no Temporal server at $(server_bin) (NOVACRON_TEMPORAL_SERVER), or no sql tool beside it"
    say "building the Temporal server $TEMPORAL_SERVER_VERSION and its sql tool (go install, about five minutes)"
    go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION"
    go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
  fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL: its own database cluster in $CDIR/postgres, owned by the postgres account (the
# server refuses to run as root), 127.0.0.1 only, scram passwords for the roles made here and
# peer authentication on its private socket for the superuser.

PG_DATA=$CDIR/postgres
PG_SOCKET=$CDIR/run/pg
as_pg() { # command...: as the postgres account when root, else as the caller
  if [[ $(id -u) == 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}
pg_superuser() { if [[ $(id -u) == 0 ]]; then echo postgres; else id -un; fi; }
psql_admin() { as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" -U "$(pg_superuser)" -d postgres "$@"; }
pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

# A password per role, made once: 24 random bytes without characters that need quoting.
secret() { # name
  local f=$CDIR/secrets/$1
  [[ -s $f ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$f")
  cat "$f"
}

start_postgres() {
  mkdir -p "$PG_SOCKET"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    mkdir -p "$PG_DATA"
    [[ $(id -u) == 0 ]] && chown postgres:postgres "$PG_DATA" "$PG_SOCKET"
    chmod 700 "$PG_DATA"
    say "initdb $PG_DATA"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$(pg_superuser)" --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >>"$CDIR/logs/postgres.log" 2>&1 || die "initdb failed: $CDIR/logs/postgres.log"
  fi
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$PG_SOCKET"
  # exec'd, not forked, by setpriv: the pid file names the postmaster itself.
  start postgres "$(command -v setpriv)" $([[ $(id -u) == 0 ]] && echo --reuid=postgres --regid=postgres --init-groups) -- \
    "$PG_BIN/postgres" -D "$PG_DATA" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories="$PG_SOCKET" -c max_connections=200 -c password_encryption=scram-sha-256
  wait_for "PostgreSQL on 127.0.0.1:$PG_PORT" 30 pg_ready
}

# login_role ROLE PASSWORD: a least-privilege login role (deploy/temporal/scripts/login-role.sql,
# shared with the embedded PostgreSQL and setup-postgres.sh), created or repaired, with its password.
# shellcheck source=../../deploy/temporal/scripts/login-role.sh
. "$ROOT/deploy/temporal/scripts/login-role.sh"

# Roles temporal (owns temporal, temporal_visibility; CREATEDB so that Temporal's sql tool makes
# them) and novacron (owns novacron, the control plane's inventory). Passwords are set on every
# run from the secrets files, so a lost database keeps working with the same files.
ensure_roles() {
  local role
  for role in temporal novacron; do
    login_role "$role" "$(secret "db-$role")"
  done
  psql_admin -c 'ALTER ROLE temporal CREATEDB'
  psql_admin <<'SQL'
SELECT 'CREATE DATABASE novacron OWNER novacron' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'novacron') \gexec
SQL
}

temporal_sql() { # database, sql-tool arguments...: Temporal's own sql tool, password from the environment
  local db=$1; shift
  SQL_PASSWORD=$(secret db-temporal) "$(sql_bin)" --plugin postgres12 --endpoint 127.0.0.1 --port "$PG_PORT" \
    --user temporal --database "$db" "$@"
}

# Temporal's schemas: create the database, set up versioning (once), update to the newest schema
# of this server version (the sql tool carries the server's schema/postgresql/v12/*/versioned
# files: --schema-name). update-schema applies only what is newer, so a second run is a no-op.
ensure_temporal_schema() {
  local db name
  for db in temporal temporal_visibility; do
    name=postgresql/v12/$([[ $db == temporal ]] && echo temporal || echo visibility)
    if ! psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      temporal_sql "$db" create-database --defaultdb postgres >>"$CDIR/logs/schema.log" 2>&1 \
        || die "creating database $db failed: $CDIR/logs/schema.log"
    fi
    if ! psql_admin -d "$db" -tA -c "SELECT to_regclass('public.schema_version') IS NOT NULL" | grep -q t; then
      temporal_sql "$db" setup-schema -v 0.0 >>"$CDIR/logs/schema.log" 2>&1 || die "setup-schema $db failed: $CDIR/logs/schema.log"
    fi
    temporal_sql "$db" update-schema --schema-name "$name" >>"$CDIR/logs/schema.log" 2>&1 || die "update-schema $db failed: $CDIR/logs/schema.log"
  done
  say "Temporal schemas: temporal $(schema_version temporal), temporal_visibility $(schema_version temporal_visibility)"
}
schema_version() { psql_admin -d "$1" -tA -c 'SELECT curr_version FROM schema_version LIMIT 1'; }

# ---------------------------------------------------------------------------------------------
# Temporal: deploy/temporal/cluster.yaml, the installed layout's config too, for all four services
# (each process starts the one --service names); a template that takes the ports and the database
# password from the environment.

temporal_env() { # the environment cluster.yaml reads
  local s up
  printf '%s\n' SQL_HOST=127.0.0.1 "SQL_PORT=$PG_PORT" SQL_USER=temporal "SQL_PASSWORD=$(secret db-temporal)" \
    "TEMPORAL_HISTORY_SHARDS=$SHARDS" "TEMPORAL_FRONTEND_HTTP_PORT=$FRONTEND_HTTP_PORT" \
    "TEMPORAL_TLS_SERVER_CERT=$TLS/server.pem" "TEMPORAL_TLS_SERVER_KEY=$TLS/server.key" \
    "TEMPORAL_TLS_SERVER_CA_CERT=$TLS/ca.pem"
  for s in "${SERVICES[@]}"; do
    up=$(tr a-z A-Z <<<"$s")
    printf '%s\n' "TEMPORAL_${up}_PORT=$(grpc_port "$s")" "TEMPORAL_${up}_MEMBERSHIP_PORT=$(membership_port "$s")"
  done
}

# The CA and the certificates, made once (make-certs.sh keeps what exists; the node's certificate
# is added when NOVACRON_CLUSTER_NODE names a new one). Keys 0600, owned by root like every
# process here but PostgreSQL, which needs none.
ensure_certs() {
  "$ROOT/deploy/temporal/scripts/make-certs.sh" "$TLS" --nodes="$NODE" >>"$CDIR/logs/certs.log" 2>&1 \
    || die "making certificates in $TLS failed: $CDIR/logs/certs.log"
}

# The Temporal CLI against the frontend, with the control plane's client certificate: the
# frontend refuses a client without one. 127.0.0.1 is in server.pem's names, so no server name.
tctl() { # temporal CLI arguments...
  temporal "$@" --address "$TEMPORAL" --tls-cert-path "$TLS/control-plane.pem" \
    --tls-key-path "$TLS/control-plane.key" --tls-ca-path "$TLS/ca.pem"
}

# Whether the frontend refuses clients without a certificate of the CA: one in plaintext, one over
# TLS that trusts the CA but presents no certificate. Both must fail to reach the health check.
refuses_anonymous() {
  ! temporal operator cluster health --address "$TEMPORAL" --tls=false >/dev/null 2>&1 &&
    ! temporal operator cluster health --address "$TEMPORAL" --tls-ca-path "$TLS/ca.pem" >/dev/null 2>&1
}

start_temporal() {
  local s env
  mapfile -t env < <(temporal_env)
  for s in "${SERVICES[@]}"; do
    # Exported in a subshell, not passed to env(1): the password stays out of every argv.
    (export "${env[@]}" && start "temporal-$s" "$(server_bin)" \
      --config-file "$ROOT/deploy/temporal/cluster.yaml" --allow-no-auth start --service="$s")
    # History first, alone until it serves: on an empty database every service writes the
    # cluster metadata at start, and two at once fail on its unique key (the loser exits).
    [[ $s != history ]] || wait_for "Temporal's history service (gRPC health on 127.0.0.1:$(grpc_port history))" 90 grpc_serving history
  done
  wait_for "the Temporal frontend on $TEMPORAL" 90 tctl operator cluster health
  for s in matching worker; do
    wait_for "Temporal's $s service (gRPC health on 127.0.0.1:$(grpc_port "$s"))" 90 grpc_serving "$s"
  done
  if ! tctl operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
    tctl operator namespace create --namespace "$NAMESPACE" --retention 720h >/dev/null
    say "created namespace $NAMESPACE (retention 30 days)"
  fi
  # A new namespace takes up to the namespace cache's refresh (10 s) to reach every service.
  wait_for "namespace $NAMESPACE" 30 tctl workflow list --namespace "$NAMESPACE" --limit 1
}

# Whether a Temporal service answers SERVING to the standard gRPC health check on its own port,
# under the name it registers (history turns SERVING only once it owns shards). The Temporal CLI
# checks only the frontend's WorkflowService; this asks each service itself. The request and the
# answer are hand-encoded (HealthCheckRequest{service}, HealthCheckResponse{status=1}), so Debian's
# python3-grpcio is all it needs. Internode is mutual TLS too: the check presents server.pem (a
# client certificate as well) and expects the server to be "temporal", a name server.pem carries.
grpc_serving() { # service
  local name
  case $1 in
    frontend) name=temporal.api.workflowservice.v1.WorkflowService ;;
    history) name=temporal.api.workflowservice.v1.HistoryService ;;
    matching) name=temporal.api.workflowservice.v1.MatchingService ;;
    worker) name=temporal.api.workflowservice.v1.WorkerService ;;
  esac
  /usr/bin/python3 - "$(grpc_port "$1")" "$name" "$TLS" <<'PY' 2>/dev/null
import sys, grpc
port, name, tls = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
read = lambda f: open(f"{tls}/{f}", "rb").read()
credentials = grpc.ssl_channel_credentials(read("ca.pem"), read("server.key"), read("server.pem"))
with grpc.secure_channel("127.0.0.1:" + port, credentials,
                         options=[("grpc.ssl_target_name_override", "temporal")]) as channel:
    check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                request_serializer=lambda b: b, response_deserializer=lambda b: b)
    sys.exit(0 if check(b"\x0a" + bytes([len(name)]) + name, timeout=3) == b"\x08\x01" else 1)
PY
}

# ---------------------------------------------------------------------------------------------
# control plane: two replicas on one inventory; agents as in `novacron up`

ADMIN_USER=${NOVACRON_ADMIN_USER:-admin}
replica_url() { echo "http://127.0.0.1:${HTTP_PORTS[$(($1 - 1))]}"; }
replica_healthy() { curl -fsS "$(replica_url "$1")/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; }

start_replica() { # number (1-based)
  local n=$1 port=${HTTP_PORTS[$(($1 - 1))]}
  mkdir -p "$CDIR/cp/$n"
  NOVACRON_ADMIN_USER="$ADMIN_USER" NOVACRON_ADMIN_PASSWORD_FILE="$CDIR/admin-password" \
    NOVACRON_BOOTSTRAP_TOKEN_FILE="$CDIR/admin-token" NOVACRON_DATA_DIR="$CDIR/cp/$n" \
    NOVACRON_HTTP_PORT="$port" NOVACRON_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/novacron" \
    NOVACRON_DATABASE_USER=novacron NOVACRON_DATABASE_PASSWORD="$(secret db-novacron)" \
    NOVACRON_TEMPORAL="$TEMPORAL" NOVACRON_NAMESPACE="$NAMESPACE" \
    NOVACRON_TEMPORAL_TLS_CERT="$TLS/control-plane.pem" NOVACRON_TEMPORAL_TLS_KEY="$TLS/control-plane.key" \
    NOVACRON_TEMPORAL_TLS_CA="$TLS/ca.pem" \
    start "control-plane-$n" java -jar "$(jar web-ui)"
}

# Waits for a replica's health. One that exits while starting is started again, twice at most, as
# the unit's Restart=on-failure would: on a loaded machine the control plane's first call to
# Temporal (the SDK's GetSystemInfo, 10 s deadline, when its worker starts) can time out and end
# the JVM.
wait_replica() { # number
  local n=$1 tries=0
  for _ in $(seq 1 600); do
    replica_healthy "$n" && return 0
    if ! running "control-plane-$n" && ((tries < 2)); then
      tries=$((tries + 1))
      say "control-plane-$n exited while starting (last: $(grep -E 'Application run failed|DEADLINE_EXCEEDED' "$CDIR/logs/control-plane-$n.log" | tail -n 1 | tail -c 160)); starting it again"
      start_replica "$n"
    fi
    sleep 0.5
  done
  die "control-plane replica $n did not come up within 300 s; logs: $CDIR/logs/ $(dead_processes)"
}

node_announced() {
  curl -fsS "$(replica_url 1)/actuator/health/nodes" | grep -Eq "\"nodes\":\[[^]]*\"$NODE\""
}

# ---------------------------------------------------------------------------------------------
# HAProxy: one address for the two replicas. deploy/haproxy/novacron.cfg, the installed layout's
# file (its header says why /api round-robins and the dashboard is sticky), with this cluster's
# ports and a global section: logs to logs/haproxy.log, a stats socket for `status`.

proxy_config() {
  cat <<EOF
# Written by novacron cluster up (starter/scripts/cluster.sh) on every start from
# deploy/haproxy/novacron.cfg; edits are lost.
global
    maxconn 2000
    log stdout format raw daemon
    stats socket $CDIR/run/haproxy.sock mode 600 level operator
EOF
  # Through placeholders, so that swapped ports do not rewrite each other.
  sed -e 's/127\.0\.0\.1:8180\b/@PROXY@/; s/127\.0\.0\.1:8181\b/@CP1@/; s/127\.0\.0\.1:8182\b/@CP2@/' \
    -e "s/@PROXY@/127.0.0.1:$PROXY_PORT/; s/@CP1@/127.0.0.1:${HTTP_PORTS[0]}/; s/@CP2@/127.0.0.1:${HTTP_PORTS[1]}/" \
    "$ROOT/deploy/haproxy/novacron.cfg"
}

start_proxy() {
  proxy_config >"$CDIR/haproxy.cfg.new"
  "$HAPROXY" -c -q -f "$CDIR/haproxy.cfg.new" >>"$CDIR/logs/haproxy.log" 2>&1 || die "haproxy refuses $CDIR/haproxy.cfg.new: $CDIR/logs/haproxy.log"
  # A running HAProxy keeps running unless its configuration changed (new ports, a new file).
  if running haproxy && ! cmp -s "$CDIR/haproxy.cfg.new" "$CDIR/haproxy.cfg"; then stop haproxy; fi
  mv "$CDIR/haproxy.cfg.new" "$CDIR/haproxy.cfg"
  # -db: in the foreground, so the pid file names HAProxy itself.
  start haproxy "$HAPROXY" -db -f "$CDIR/haproxy.cfg"
}

# HAProxy's view of one replica: UP, DOWN, MAINT... (its stats socket, `show stat`, the API backend).
proxy_server_status() { # number
  /usr/bin/python3 - "$CDIR/run/haproxy.sock" "cp$1" <<'PY' 2>/dev/null || echo "unknown"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
for row in data.decode().splitlines():
    f = row.split(",")
    if len(f) > 17 and f[0] == "novacron_api" and f[1] == sys.argv[2]:
        print(f[17].split(" ")[0])
        sys.exit(0)
sys.exit(1)
PY
}
proxy_url() { echo "http://127.0.0.1:$PROXY_PORT"; }
proxy_both_up() { [[ $(proxy_server_status 1) == UP && $(proxy_server_status 2) == UP ]]; }

cmd_up() {
  install_cluster
  ((${#HTTP_PORTS[@]} == 2)) || die "NOVACRON_CLUSTER_HTTP_PORTS must name two ports, got '${HTTP_PORTS[*]}'"
  for module in web-ui activities-host activities-gpu; do
    [[ -f $(jar "$module") ]] || die "no $(jar "$module"): build first (novacron up builds, or mvn -B -DskipTests package)"
  done
  mkdir -p "$CDIR"/{run,logs,secrets,tls,node/images,gpu}
  chmod 755 "$CDIR" "$CDIR/run"
  chmod 700 "$CDIR/secrets"
  ensure_certs
  start_postgres
  ensure_roles
  ensure_temporal_schema
  start_temporal
  [[ -s $CDIR/admin-password ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$CDIR/admin-password")
  # One replica first: it migrates the shared schema (Flyway) and makes the first admin and the
  # bootstrap token; the second then finds all three done.
  start_replica 1
  wait_replica 1
  wait_for "the bootstrap API token in $CDIR/admin-token" 60 test -s "$CDIR/admin-token"
  start_replica 2
  if [[ $AGENTS != none ]]; then
    # Placement wants a node that has the image, also on the test driver (it boots nothing).
    "$ROOT/starter/scripts/guest-image.sh" "$CDIR/node/images"
    NOVACRON_TRANSFER_HOST=127.0.0.1 NOVACRON_TRANSFER_PORT=7970 NOVACRON_METRICS_PORT=9481 \
      NOVACRON_TEMPORAL_TLS_CERT="$TLS/node-$NODE.pem" NOVACRON_TEMPORAL_TLS_KEY="$TLS/node-$NODE.key" \
      NOVACRON_TEMPORAL_TLS_CA="$TLS/ca.pem" \
      start host-agent java -jar "$(jar activities-host)" --node="$NODE" --libvirt-uri="$LIBVIRT_URI" \
      --data-dir="$CDIR/node" --temporal="$TEMPORAL" --namespace="$NAMESPACE"
    NOVACRON_TEMPORAL_TLS_CERT="$TLS/node-$NODE.pem" NOVACRON_TEMPORAL_TLS_KEY="$TLS/node-$NODE.key" \
      NOVACRON_TEMPORAL_TLS_CA="$TLS/ca.pem" \
      start gpu-agent java -jar "$(jar activities-gpu)" --node="$NODE" --data-dir="$CDIR/gpu" \
      --gpu-transfer-host=127.0.0.1 --gpu-transfer-port=7971 --gpu-metrics-port=9482 \
      --temporal="$TEMPORAL" --namespace="$NAMESPACE"
  fi
  wait_replica 2
  start_proxy
  wait_for "HAProxy on $(proxy_url) with both replicas UP" 30 proxy_both_up
  [[ $AGENTS == none ]] || wait_for "node $NODE's announcement" 90 node_announced
  cat <<EOF
cluster: up.
  control plane    $(proxy_url)/  (HAProxy: $(replica_url 1)/ and $(replica_url 2)/, one PostgreSQL inventory)
  Temporal         $TEMPORAL (frontend; history, matching, worker: ports $(grpc_port history), $(grpc_port matching), $(grpc_port worker)), namespace $NAMESPACE, $SHARDS shards
                   mutual TLS: CA and certificates in $TLS/
  PostgreSQL       127.0.0.1:$PG_PORT, databases temporal, temporal_visibility, novacron (passwords in $CDIR/secrets/)
  sign in          user $ADMIN_USER, password in $CDIR/admin-password
  CLI              eval "\$($0 env)"; novacron vm list; temporal workflow list
  logs             $CDIR/logs/
  stop             novacron cluster down
EOF
}

cmd_down() {
  local s
  stop haproxy; rm -f "$CDIR/run/haproxy.sock"; stop gpu-agent; stop host-agent; stop control-plane-2; stop control-plane-1
  for s in worker frontend matching history; do stop "temporal-$s"; done
  stop postgres INT # fast shutdown: TERM would wait for every client to disconnect
}

cmd_status() {
  local rc=0 name health s
  for name in postgres temporal-history temporal-matching temporal-frontend temporal-worker \
    control-plane-1 control-plane-2 haproxy host-agent gpu-agent; do
    health=
    case $name in
      postgres) pg_ready && health="accepting connections on 127.0.0.1:$PG_PORT" || health="not ready" ;;
      temporal-frontend) tctl operator cluster health >/dev/null 2>&1 \
        && health="SERVING on $TEMPORAL (mTLS)" || health="not serving"
        refuses_anonymous && health+=", refuses clients without a certificate" \
          || health+=", not refusing clients without a certificate" ;;
      temporal-*) s=${name#temporal-}
        grpc_serving "$s" && health="SERVING on 127.0.0.1:$(grpc_port "$s") (gRPC health)" || health="not serving" ;;
      control-plane-*) s=${name#control-plane-}
        health=$(curl -fsS "$(replica_url "$s")/actuator/health" 2>/dev/null || echo "no answer")
        health="$(replica_url "$s")/actuator/health: $health" ;;
      haproxy) health="$(proxy_url): cp1 $(proxy_server_status 1), cp2 $(proxy_server_status 2)" ;;
    esac
    if running "$name"; then
      printf '%-18s running (pid %s)  %s\n' "$name" "$(cat "$(pidfile "$name")")" "$health"
      [[ $health == *"not "* || $health == *"no answer"* || $health == *DOWN* || $health == *unknown* ]] && rc=3
    else
      printf '%-18s stopped\n' "$name"; rc=3
    fi
  done
  echo "data: $CDIR"
  return $rc
}

# The CLI through HAProxy; the Temporal clients (the temporal CLI's TEMPORAL_* and NovaCron's
# NOVACRON_TEMPORAL*) at the frontend with the control plane's client certificate.
cmd_env() {
  printf 'export %s\n' "NOVACRON_API=$(proxy_url)" "NOVACRON_DATA_DIR=$CDIR" \
    "NOVACRON_TEMPORAL=$TEMPORAL" "NOVACRON_NAMESPACE=$NAMESPACE" \
    "NOVACRON_TEMPORAL_TLS_CERT=$TLS/control-plane.pem" "NOVACRON_TEMPORAL_TLS_KEY=$TLS/control-plane.key" \
    "NOVACRON_TEMPORAL_TLS_CA=$TLS/ca.pem" \
    "TEMPORAL_ADDRESS=$TEMPORAL" "TEMPORAL_NAMESPACE=$NAMESPACE" \
    "TEMPORAL_TLS_CERT=$TLS/control-plane.pem" "TEMPORAL_TLS_KEY=$TLS/control-plane.key" "TEMPORAL_TLS_CA=$TLS/ca.pem"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  proxy-state) proxy_server_status "${2:?replica number}" ;; # for cluster-smoke.sh: UP, DOWN, ...
  *) die "usage: novacron cluster up|down|status|env" ;;
esac
