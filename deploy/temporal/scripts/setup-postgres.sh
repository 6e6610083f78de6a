#!/usr/bin/env bash
# setup-postgres.sh: the PostgreSQL side of a NovaCron cluster, once, on the machine that runs
# PostgreSQL (Debian's postgresql package, its cluster `main`, port 5432 unless PGPORT says):
# the roles temporal and novacron with scram passwords made here, the databases temporal and
# temporal_visibility (owner temporal, made by Temporal's sql tool, which also sets up their
# schema versioning) and novacron (owner novacron). The passwords go into
# /etc/novacron/temporal-cluster.env (SQL_PASSWORD) and /etc/novacron/control-plane.env
# (NOVACRON_DATABASE_URL/_USER/_PASSWORD) when those are empty; a set one is kept and used.
# Safe to run twice. novacron-temporal-schema.service then updates the schemas on every start.
#
#   setup-postgres.sh [--sql=/usr/local/lib/temporal/sql] [--etc=/etc/novacron]
set -euo pipefail

sql=/usr/local/lib/temporal/sql
etc=/etc/novacron
for arg in "$@"; do
  case $arg in
    --sql=*) sql=${arg#--sql=} ;;
    --etc=*) etc=${arg#--etc=} ;;
    *) echo "setup-postgres: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
port=${PGPORT:-5432}
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
say() { printf 'setup-postgres: %s\n' "$*"; }
die() { printf 'setup-postgres: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root (it runs psql as postgres and writes $etc)"
[[ -x $sql ]] || die "no Temporal sql tool at $sql (deploy/temporal/scripts/install-server.sh)"
for f in "$etc/temporal-cluster.env" "$etc/control-plane.env"; do
  [[ -f $f ]] || die "no $f: run /opt/novacron/deploy/install.sh first"
done
psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"; }

# The value of NAME in an env file, or a new random password when it is empty.
password_from() { # file, name
  local v
  v=$(sed -n "s/^$2=//p" "$1" | tail -1)
  [[ -n $v ]] && { printf '%s' "$v"; return; }
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n'
}
set_in() { # file, name, value: replace the line NAME=... (or append it)
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  grep -v "^$2=" "$1" >"$tmp" || true
  printf '%s=%s\n' "$2" "$3" >>"$tmp"
  chown --reference="$1" "$tmp"; chmod --reference="$1" "$tmp"
  mv "$tmp" "$1"
}

temporal_pw=$(password_from "$etc/temporal-cluster.env" SQL_PASSWORD)
novacron_pw=$(password_from "$etc/control-plane.env" NOVACRON_DATABASE_PASSWORD)
# Least privilege (login-role.sql, shared with `novacron up` and `novacron cluster up`), then
# CREATEDB for temporal alone: Temporal's sql tool makes its two databases.
# shellcheck source=login-role.sh
. "$here/login-role.sh"
login_role temporal "$temporal_pw"
login_role novacron "$novacron_pw"
psql_admin -c 'ALTER ROLE temporal CREATEDB'
psql_admin <<'SQL'
SELECT 'CREATE DATABASE novacron OWNER novacron' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'novacron') \gexec
SQL
set_in "$etc/temporal-cluster.env" SQL_PASSWORD "$temporal_pw"
grep -q '^NOVACRON_DATABASE_URL=.' "$etc/control-plane.env" \
  || set_in "$etc/control-plane.env" NOVACRON_DATABASE_URL "jdbc:postgresql://127.0.0.1:$port/novacron"
grep -q '^NOVACRON_DATABASE_USER=.' "$etc/control-plane.env" || set_in "$etc/control-plane.env" NOVACRON_DATABASE_USER novacron
set_in "$etc/control-plane.env" NOVACRON_DATABASE_PASSWORD "$novacron_pw"

tool() { SQL_PASSWORD=$temporal_pw "$sql" --plugin postgres12 --endpoint 127.0.0.1 --port "$port" --user temporal --database "$@"; }
for db in temporal temporal_visibility; do
  if ! psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    tool "$db" create-database --defaultdb postgres
  fi
  if ! psql_admin -d "$db" -tA -c "SELECT to_regclass('public.schema_version') IS NOT NULL" | grep -q t; then
    tool "$db" setup-schema -v 0.0
  fi
done
say "roles temporal and novacron, databases temporal, temporal_visibility, novacron ready on port $port;"
say "passwords in $etc/temporal-cluster.env and $etc/control-plane.env. Next: systemctl start novacron.target"
