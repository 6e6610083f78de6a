#!/usr/bin/env bash
# verify.sh: check everything under deploy/ and the packaging without changing this machine.
# For CI (run as root on Debian 12 / Ubuntu; about 5 s, 15 s when it installs its tools). Exits
# non-zero, naming each failure, if any check fails.
#
#   deploy/verify.sh [--no-package] [--jars-from=DIR]
#
#   1. systemd-analyze verify on every unit (copies in a temporary unit directory), plus the
#      hardening each unit must keep (User=novacron, NoNewPrivileges=, ProtectSystem=strict, ...)
#      and systemd-analyze security --offline: exposure at most 2.5
#   2. apparmor_parser parses and compiles every profile without loading it
#   3. install.sh --root=<scratch>, twice: files, owners and modes; settings not overwritten;
#      `systemctl --root` can enable the units offline
#   4. make-certs.sh makes a CA and certificates that verify; create-namespace.sh and the
#      launchers parse
#   5. docker-compose.yml and dynamicconfig are valid YAML with the expected services, and pass
#      `docker compose config` / docker-compose 1.29 `config` where one is installed (schema
#      only: no Docker engine here, nothing is pulled or run); cluster.yaml renders with and
#      without its mTLS block; haproxy/novacron.cfg passes `haproxy -c` where HAProxy is installed
#   6. when the exec jars exist (or --jars-from=DIR has them): package.sh builds the .deb and the
#      tarball, and `dpkg-deb -c` lists the expected tree; the packaged install.sh runs into a
#      scratch root; a packaged launcher starts its jar. Skipped, and said so, without jars.
#
# Tools it needs (systemd, apparmor, openssl, python3-yaml) are installed with apt-get when
# missing, unless NOVACRON_NO_INSTALL=1; then a missing tool is a failure.
set -uo pipefail

DEPLOY=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=$(cd "$DEPLOY/.." && pwd)
PACKAGE=1
JARS_FROM=$ROOT
for arg in "$@"; do
  case $arg in
    --no-package) PACKAGE=0 ;;
    --jars-from=*) JARS_FROM=${arg#--jars-from=} ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "verify.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d /tmp/novacron-verify.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
FAILURES=()
pass() { printf 'verify: ok   %s\n' "$*"; }
fail() { printf 'verify: FAIL %s\n' "$*" >&2; FAILURES+=("$*"); }
skip() { printf 'verify: skip %s\n' "$*"; }
check() { # description, command...: pass or fail with the command's output
  local what=$1; shift
  local out
  if out=$("$@" 2>&1); then pass "$what"; else fail "$what"; printf '%s\n' "$out" | sed 's/^/    /' >&2; fi
}

# Tools the checks need, installed when missing (root, Debian/Ubuntu, NOVACRON_NO_INSTALL not 1),
# the way starter/bin/novacron installs what is missing.
install_missing() { # package...
  [[ ${NOVACRON_NO_INSTALL:-0} != 1 && $(id -u) == 0 ]] && command -v apt-get >/dev/null || return 0
  echo "verify: installing $* (for the checks)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; } || true
}
yaml_python() { # a python3 that has PyYAML
  local p
  for p in python3 /usr/bin/python3; do
    command -v "$p" >/dev/null && "$p" -c 'import yaml' 2>/dev/null && { command -v "$p"; return 0; }
  done
  return 1
}
missing=()
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v apparmor_parser >/dev/null || missing+=(apparmor)
command -v openssl >/dev/null || missing+=(openssl)
yaml_python >/dev/null || missing+=(python3-yaml)
((${#missing[@]} == 0)) || install_missing "${missing[@]}"

UNITS=(novacron.target novacron-control-plane.service novacron-host-agent.service
  novacron-gpu-agent.service novacron-temporal.service
  novacron-temporal-schema.service novacron-temporal@.service novacron-control-plane@.service)
SERVICES=(control-plane host-agent gpu-agent temporal temporal-schema temporal@ control-plane@)
# A template is verified (and scored) as one of its instances, the name systemd would load.
instance() { # unit file name
  case $1 in
    novacron-temporal@.service) echo novacron-temporal@history.service ;;
    novacron-control-plane@.service) echo novacron-control-plane@8181.service ;;
    *) echo "$1" ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# 1. systemd units

for u in "${UNITS[@]}"; do
  [[ -f $DEPLOY/systemd/$u ]] || fail "unit $u is missing from deploy/systemd"
done
for f in "$DEPLOY"/systemd/*.service "$DEPLOY"/systemd/*.target; do
  [[ " ${UNITS[*]} " == *" ${f##*/} "* ]] || fail "unexpected unit ${f##*/}: add it to verify.sh"
done

# systemd-analyze verify wants the unit's binaries and users to exist: a scratch unit directory
# with the units, ExecStart= pointed at a stub (the real ones live in /opt/novacron), and
# EnvironmentFile= made optional. What it checks then is the unit syntax, every directive's
# value, and the dependencies between the units.
UNITDIR=$WORK/units
mkdir -p "$UNITDIR"
printf '#!/bin/sh\nexit 0\n' >"$WORK/stub"
chmod 755 "$WORK/stub"
for u in "${UNITS[@]}"; do
  sed -e "s#^ExecStart=[^ ]*#ExecStart=$WORK/stub#" -e 's#^EnvironmentFile=/#EnvironmentFile=-/#' \
    "$DEPLOY/systemd/$u" >"$UNITDIR/$u"
done
if command -v systemd-analyze >/dev/null; then
  for u in "${UNITS[@]}"; do
    out=$(cd "$UNITDIR" && SYSTEMD_UNIT_PATH="$UNITDIR:" SYSTEMD_LOG_LEVEL=notice \
      systemd-analyze verify --man=no --recursive-errors=no "$UNITDIR/$(instance "$u")" 2>&1)
    rc=$?
    # Only lines about our units count: a host unit it pulls in (network-online.target's
    # dependencies) may have its own complaints on a machine where systemd is not running.
    ours=$(printf '%s\n' "$out" | grep -E "novacron|$UNITDIR" || true)
    if ((rc == 0)) && [[ -z $ours ]]; then
      pass "systemd-analyze verify $(instance "$u")"
    else
      fail "systemd-analyze verify $(instance "$u") (rc $rc)"
      printf '%s\n' "${ours:-$out}" | sed 's/^/    /' >&2
    fi
  done
else
  fail "systemd-analyze is missing (apt-get install systemd)"
fi

# systemd-analyze does not mind a dependency on a unit that does not exist: check ours by name.
for ref in $(grep -hoE 'novacron[a-z-]*\.(service|target)' "$DEPLOY"/systemd/*.service "$DEPLOY"/systemd/*.target | sort -u); do
  [[ " ${UNITS[*]} " == *" $ref "* ]] || fail "a unit refers to $ref, which deploy/systemd does not have"
done
for ref in $(grep -hoE 'novacron[a-z-]*@[a-z0-9]+\.service' "$DEPLOY"/systemd/*.service | sort -u); do
  [[ " ${UNITS[*]} " == *" ${ref%%@*}@.service "* ]] || fail "a unit refers to $ref, whose template deploy/systemd does not have"
done

# systemd's own exposure score (0 best, 10 worst), computed offline: a unit above 2.5 fails.
if systemd-analyze security --help 2>/dev/null | grep -- '--offline' >/dev/null; then
  for u in "${UNITS[@]}"; do
    [[ $u == *.service ]] || continue
    score=$(cd "$UNITDIR" && SYSTEMD_UNIT_PATH="$UNITDIR:" systemd-analyze security --offline=true "./$(instance "$u")" 2>/dev/null \
      | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [[ -z $score ]]; then
      fail "systemd-analyze security $u gave no score"
    elif awk -v s="$score" 'BEGIN { exit !(s > 2.5) }'; then
      fail "systemd-analyze security $u: exposure $score, above 2.5"
    else
      pass "systemd-analyze security $u: exposure $score"
    fi
  done
else
  skip "systemd-analyze security --offline (systemd older than 250)"
fi

# The hardening the units promise (docs/deploy.md); a change that drops one must fail here.
want() { # unit, line (exact)
  grep -qxF -- "$2" "$DEPLOY/systemd/$1" || fail "$1 lacks '$2'"
}
for s in "${SERVICES[@]}"; do
  u=novacron-$s.service
  for line in User=novacron Group=novacron Restart=on-failure NoNewPrivileges=yes \
    ProtectSystem=strict ProtectHome=yes \
    PrivateTmp=yes ProtectKernelTunables=yes ProtectKernelModules=yes ProtectControlGroups=yes \
    RestrictSUIDSGID=yes "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK" \
    SystemCallFilter=@system-service "SystemCallFilter=~@privileged" WantedBy=novacron.target \
    PartOf=novacron.target; do
    want "$u" "$line"
  done
  grep -q '^ReadWritePaths=/var/lib/novacron' "$DEPLOY/systemd/$u" || fail "$u has no ReadWritePaths under /var/lib/novacron"
done
for s in control-plane host-agent gpu-agent; do
  want "novacron-$s.service" "EnvironmentFile=/etc/novacron/$s.env"
  want "novacron-$s.service" "ExecStart=/opt/novacron/bin/novacron-$s"
done
# The cluster units (docs/deploy.md, "A cluster"): replicas share control-plane.env and take the
# port from the instance; every Temporal service reads the one config and the database settings.
want novacron-control-plane@.service "EnvironmentFile=/etc/novacron/control-plane.env"
want novacron-control-plane@.service "ExecStart=/opt/novacron/bin/novacron-control-plane --server.port=%i"
want novacron-control-plane@.service "After=network-online.target postgresql.service novacron-temporal@frontend.service"
want novacron-temporal@.service "EnvironmentFile=/etc/novacron/temporal-cluster.env"
want novacron-temporal@.service \
  "ExecStart=/usr/local/lib/temporal/server --config-file /etc/novacron/temporal/cluster.yaml --allow-no-auth start --service=%i"
want novacron-temporal@.service "Requires=novacron-temporal-schema.service"
want novacron-temporal-schema.service "EnvironmentFile=/etc/novacron/temporal-cluster.env"
want novacron-temporal-schema.service "Type=oneshot"
for db in temporal:temporal temporal_visibility:visibility; do
  want novacron-temporal-schema.service \
    "ExecStart=/usr/local/lib/temporal/sql --plugin postgres12 --database ${db%%:*} update-schema --schema-name postgresql/v12/${db#*:}"
done
want novacron-host-agent.service "SupplementaryGroups=libvirt kvm"
# No capabilities, except the host agent's one (reading virtlogd's root-only console logs).
for s in control-plane gpu-agent temporal temporal-schema temporal@ control-plane@; do
  want "novacron-$s.service" CapabilityBoundingSet=
  want "novacron-$s.service" AmbientCapabilities=
done
want novacron-host-agent.service CapabilityBoundingSet=CAP_DAC_READ_SEARCH
want novacron-host-agent.service AmbientCapabilities=CAP_DAC_READ_SEARCH
want novacron-gpu-agent.service DevicePolicy=closed
want novacron-gpu-agent.service "DeviceAllow=char-nvidia* rw"
want novacron-temporal.service \
  "ExecStart=/usr/local/bin/temporal server start-dev --db-filename /var/lib/novacron/temporal/temporal.db --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=full --dynamic-config-value history.transferProcessorMaxPollRPS=200 --ip 127.0.0.1 --namespace default --log-level warn"
if grep -l '^MemoryDenyWriteExecute=yes' "$DEPLOY"/systemd/novacron-{control-plane,control-plane@,host-agent,gpu-agent}.service 2>/dev/null; then
  fail "MemoryDenyWriteExecute=yes on a JVM unit: the JIT needs W+X memory"
fi
pass "unit hardening directives"

# ---------------------------------------------------------------------------------------------
# 2. AppArmor

profiles=("$DEPLOY"/apparmor/opt.novacron.*)
((${#profiles[@]} >= 2)) || fail "expected AppArmor profiles for both agents in deploy/apparmor"
if command -v apparmor_parser >/dev/null; then
  for p in "${profiles[@]}"; do
    # -Q: do not load into the kernel, -T/-K: no cache; -I: our abstractions/novacron-jvm
    check "apparmor_parser ${p##*/}" apparmor_parser --skip-kernel-load --skip-read-cache \
      --skip-cache --quiet -I "$DEPLOY/apparmor" "$p"
  done
  for agent in host-agent gpu-agent; do
    grep -q "^profile novacron-$agent /opt/novacron/bin/novacron-$agent " \
      "$DEPLOY/apparmor/opt.novacron.bin.novacron-$agent" \
      || fail "profile novacron-$agent does not attach to /opt/novacron/bin/novacron-$agent"
  done
else
  fail "apparmor_parser is missing (apt-get install apparmor)"
fi

# ---------------------------------------------------------------------------------------------
# 3. install.sh into a scratch root, twice

SCRATCH=$WORK/root
mode_is() { # mode, owner user name or uid, path
  local got
  got=$(stat -c '%a %u' "$SCRATCH$3" 2>/dev/null) || { fail "install.sh did not create $3"; return; }
  [[ $got == "$1 $2" ]] || fail "$3 is '$got' (mode uid), expected '$1 $2'"
}
if [[ $(id -u) != 0 ]]; then
  fail "install.sh checks need root (owners); run verify.sh as root"
elif mkdir -p "$SCRATCH/etc" && printf 'libvirt:x:106:\nkvm:x:107:\n' >"$SCRATCH/etc/group" \
  && out=$("$DEPLOY/install.sh" --root="$SCRATCH" --node=Verify_Node.example 2>&1); then
  pass "install.sh --root (first run)"
  uid=$(awk -F: '$1 == "novacron" { print $3 }' "$SCRATCH/etc/passwd")
  [[ -n $uid ]] || fail "install.sh did not create the user novacron"
  grep -q '^novacron:x:[0-9]*:[0-9]*:[^:]*:/var/lib/novacron:/usr/sbin/nologin$' "$SCRATCH/etc/passwd" \
    || fail "user novacron: expected home /var/lib/novacron and shell /usr/sbin/nologin"
  grep -qx 'libvirt:x:106:novacron' "$SCRATCH/etc/group" \
    || fail "install.sh did not add novacron to the group libvirt (polkit authorizes by membership)"
  mode_is 750 0 /etc/novacron
  mode_is 750 0 /etc/novacron/tls
  mode_is 750 0 /etc/novacron/temporal
  mode_is 644 0 /etc/novacron/temporal/cluster.yaml
  for env in control-plane host-agent gpu-agent temporal temporal-cluster; do mode_is 640 0 "/etc/novacron/$env.env"; done
  mode_is 755 "$uid" /var/lib/novacron
  mode_is 755 "$uid" /var/lib/novacron/node
  mode_is 755 "$uid" /var/lib/novacron/node/images
  mode_is 750 "$uid" /var/lib/novacron/gpu
  mode_is 700 "$uid" /var/lib/novacron/temporal
  for u in "${UNITS[@]}"; do mode_is 644 0 "/etc/systemd/system/$u"; done
  for p in "${profiles[@]}"; do mode_is 644 0 "/etc/apparmor.d/${p##*/}"; done
  mode_is 644 0 /etc/apparmor.d/abstractions/novacron-jvm
  mode_is 644 0 /usr/lib/sysusers.d/novacron.conf
  mode_is 644 0 /opt/novacron/share/prometheus/novacron-alerts.yml
  mode_is 644 0 /opt/novacron/share/grafana/novacron-dashboard.json
  grep -qx 'NOVACRON_NODE=verify-node-example' "$SCRATCH/etc/novacron/host-agent.env" \
    || fail "host-agent.env: --node=Verify_Node.example should become NOVACRON_NODE=verify-node-example"
  if grep -rqiE '^[A-Z_]*PASSWORD=.+' "$SCRATCH/etc/novacron"; then
    fail "a password is set in /etc/novacron by default"
  fi
  # A second run keeps an edited setting and changes nothing else.
  echo "NOVACRON_HTTP_PORT=9999" >>"$SCRATCH/etc/novacron/control-plane.env"
  before=$(cd "$SCRATCH" && find . -printf '%p %m %u %s\n' | sort)
  if out=$("$DEPLOY/install.sh" --root="$SCRATCH" --node=other 2>&1); then
    after=$(cd "$SCRATCH" && find . -printf '%p %m %u %s\n' | sort)
    grep -qx 'NOVACRON_HTTP_PORT=9999' "$SCRATCH/etc/novacron/control-plane.env" \
      || fail "install.sh overwrote /etc/novacron/control-plane.env"
    grep -qx 'NOVACRON_NODE=verify-node-example' "$SCRATCH/etc/novacron/host-agent.env" \
      || fail "install.sh overwrote /etc/novacron/host-agent.env"
    [[ $before == "$after" ]] || { fail "a second install.sh run changed files:"; diff <(echo "$before") <(echo "$after") | sed 's/^/    /' >&2; }
    pass "install.sh --root (second run: nothing changed, settings kept)"
  else
    fail "install.sh --root (second run)"; printf '%s\n' "$out" | sed 's/^/    /' >&2
  fi
  # The [Install] sections work: enable offline, as a live install.sh would.
  if command -v systemctl >/dev/null; then
    check "systemctl --root enable" systemctl --root="$SCRATCH" enable novacron.target \
      novacron-control-plane.service novacron-host-agent.service novacron-gpu-agent.service novacron-temporal.service
    for s in control-plane host-agent gpu-agent temporal; do
      [[ -L $SCRATCH/etc/systemd/system/novacron.target.wants/novacron-$s.service ]] \
        || fail "enabling novacron-$s.service does not link it into novacron.target.wants"
    done
    [[ -L $SCRATCH/etc/systemd/system/multi-user.target.wants/novacron.target ]] \
      || fail "enabling novacron.target does not link it into multi-user.target.wants"
    # The cluster's units: the schema unit and instances of both templates.
    cluster_units=(novacron-temporal-schema.service novacron-temporal@history.service novacron-temporal@matching.service
      novacron-temporal@frontend.service novacron-temporal@worker.service novacron-control-plane@8181.service
      novacron-control-plane@8182.service)
    check "systemctl --root enable (cluster units)" systemctl --root="$SCRATCH" enable "${cluster_units[@]}"
    for u in "${cluster_units[@]}"; do
      [[ -L $SCRATCH/etc/systemd/system/novacron.target.wants/$u ]] || fail "enabling $u does not link it into novacron.target.wants"
    done
  fi
  check "install.sh rejects an unknown component" bash -c "! '$DEPLOY/install.sh' --root='$WORK/root2' --components=nope"
  check "install.sh accepts the cluster's components" "$DEPLOY/install.sh" --root="$WORK/root3" \
    --components=temporal-cluster,control-plane@8181,control-plane@8182,host-agent
else
  fail "install.sh --root (first run)"; printf '%s\n' "$out" | sed 's/^/    /' >&2
fi

# ---------------------------------------------------------------------------------------------
# 4. scripts

for s in "$DEPLOY"/install.sh "$DEPLOY"/verify.sh "$DEPLOY"/temporal/scripts/make-certs.sh \
  "$DEPLOY"/temporal/scripts/install-server.sh "$DEPLOY"/temporal/scripts/setup-postgres.sh \
  "$DEPLOY"/temporal/scripts/login-role.sh \
  "$ROOT"/starter/scripts/package.sh "$ROOT"/starter/scripts/cluster.sh; do
  check "bash -n ${s#"$ROOT"/}" bash -n "$s"
done
for s in "$DEPLOY"/temporal/scripts/create-namespace.sh "$DEPLOY"/bin/*; do
  check "sh -n ${s#"$ROOT"/}" sh -n "$s"
  [[ -x $s ]] || fail "${s#"$ROOT"/} is not executable"
done
if command -v openssl >/dev/null; then
  certs=$WORK/certs
  if out=$("$DEPLOY/temporal/scripts/make-certs.sh" "$certs" --server-name=temporal.example.internal --nodes=n1,n2 2>&1) \
    && "$DEPLOY/temporal/scripts/make-certs.sh" "$certs" --nodes=n3 >/dev/null 2>&1; then
    for c in server control-plane node-n1 node-n2 node-n3; do
      openssl verify -CAfile "$certs/ca.pem" "$certs/$c.pem" >/dev/null 2>&1 || fail "make-certs: $c.pem does not verify against ca.pem"
      [[ $(stat -c %a "$certs/$c.key") == 600 ]] || fail "make-certs: $c.key is not 0600"
      grep -q 'BEGIN PRIVATE KEY' "$certs/$c.key" || fail "make-certs: $c.key is not PKCS#8"
    done
    openssl x509 -in "$certs/server.pem" -noout -ext subjectAltName 2>/dev/null | grep 'DNS:temporal.example.internal' >/dev/null \
      || fail "make-certs: server.pem lacks the --server-name"
    openssl x509 -in "$certs/node-n3.pem" -noout -ext extendedKeyUsage 2>/dev/null | grep -q 'TLS Web Server Authentication' \
      || fail "make-certs: node-n3.pem lacks serverAuth (the transfer engine's receiver is a TLS server)"
    # libvirt and QEMU check the address dialled: --node-san reissues n1's certificate with it.
    "$DEPLOY/temporal/scripts/make-certs.sh" "$certs" --nodes=n1 --node-san=n1=10.0.0.11 >/dev/null 2>&1 \
      && openssl x509 -in "$certs/node-n1.pem" -noout -ext subjectAltName 2>/dev/null | grep -q 'IP Address:10.0.0.11' \
      && openssl verify -CAfile "$certs/ca.pem" "$certs/node-n1.pem" >/dev/null 2>&1 \
      || fail "make-certs: --node-san=n1=10.0.0.11 did not give node-n1.pem that address (libvirt over TLS)"
    pass "make-certs.sh (CA, server, control plane, nodes; a second run adds a node with the same CA; --node-san)"
  else
    fail "make-certs.sh"; printf '%s\n' "$out" | sed 's/^/    /' >&2
  fi
else
  fail "openssl is missing"
fi

# ---------------------------------------------------------------------------------------------
# 5. Temporal compose file: YAML syntax and shape only (no Docker engine to run it)

PY=$(yaml_python || true)
if [[ -n $PY ]]; then
  check "docker-compose.yml and dynamicconfig (YAML; not run: no Docker engine)" "$PY" - "$DEPLOY/temporal" <<'EOF'
import sys, yaml, os
d = sys.argv[1]
c = yaml.safe_load(open(os.path.join(d, "docker-compose.yml")))
services = c.get("services", {})
want = {"postgresql", "temporal", "temporal-admin-tools", "temporal-ui", "temporal-create-namespace"}
missing = want - set(services)
assert not missing, f"services missing: {sorted(missing)}"
assert services["temporal"]["image"].startswith("temporalio/auto-setup:"), "temporal is not auto-setup"
env = services["temporal"]["environment"]
assert env["DB"] == "postgres12" and env["POSTGRES_SEEDS"] == "postgresql", "temporal does not use the PostgreSQL service"
assert ":?" in services["postgresql"]["environment"]["POSTGRES_PASSWORD"], "POSTGRES_PASSWORD must have no default"
for name, s in services.items():
    assert "image" in s, f"{name} has no image"
    for p in s.get("ports", []):
        assert str(p).startswith("${TEMPORAL_BIND_ADDRESS"), f"{name} publishes {p} on every address"
assert "temporal-postgresql" in (c.get("volumes") or {}), "the PostgreSQL volume is not declared"
assert set(c) <= {"services", "networks", "volumes", "x-temporal-env"}, f"unexpected top-level keys {sorted(set(c))}"
dc = yaml.safe_load(open(os.path.join(d, "dynamicconfig", "development.yaml")))
assert isinstance(dc, dict) and dc, "dynamicconfig/development.yaml is empty"
for k, v in dc.items():
    assert isinstance(v, list) and all("value" in e for e in v), f"dynamic config {k}: want a list of {{value, constraints}}"
EOF
  # cluster.yaml is a Go template: rendered here with every default (what the server does with
  # none of the variables set), it must be the shape the server reads; rendered again with
  # TEMPORAL_TLS_SERVER_CERT (and the other TLS files) set, it must require client certificates.
  check "temporal/cluster.yaml (rendered with its defaults: PostgreSQL, four services, distinct ports; with TLS files: mutual TLS everywhere)" "$PY" - "$DEPLOY/temporal/cluster.yaml" <<'EOF'
import re, sys, yaml
text = open(sys.argv[1]).read()
assert "enable-template" in text[:1024], "the server renders it only with '# enable-template' in the first 1 KB"
secret = '{{ env "SQL_PASSWORD" }}'
tls_block = re.compile(r'\{\{- if env "TEMPORAL_TLS_SERVER_CERT" \}\}(.*?)\{\{- end \}\}', re.S)
assert len(tls_block.findall(text)) == 1, "want one {{- if env \"TEMPORAL_TLS_SERVER_CERT\" }} ... {{- end }} block"
def render(tls):
    t = tls_block.sub(lambda m: m.group(1) if tls else "", text.replace(secret, "secret"))
    t = re.sub(r'\{\{ env "(TEMPORAL_TLS_[A-Z_]+)" \}\}', lambda m: "/etc/novacron/tls/" + m.group(1).lower(), t)
    t = re.sub(r'\{\{ env "[A-Z_]+" \| default "([^"]*)" \}\}', r"\1", t)
    assert "{{" not in t, "a template expression other than env ... | default: " + t[t.find("{{"):][:60]
    return yaml.safe_load(t)
assert "tls" not in render(False)["global"], "TLS must be off without TEMPORAL_TLS_SERVER_CERT"
tls = render(True)["global"]["tls"]
for group in ("frontend", "internode"):
    server, client = tls[group]["server"], tls[group]["client"]
    assert server["requireClientAuth"] is True, f"{group}: requireClientAuth must be true"
    assert server["certFile"] and server["keyFile"] and server["clientCaFiles"], f"{group}: server files missing"
    assert client["rootCaFiles"] and client["serverName"], f"{group}: client trust or server name missing"
w = tls["systemWorker"]
assert w["certFile"] and w["keyFile"] and w["client"]["rootCaFiles"], "systemWorker: the worker service needs a client certificate for the frontend"
c = render(False)
p = c["persistence"]
for store in (p["defaultStore"], p["visibilityStore"]):
    sql = p["datastores"][store]["sql"]
    assert sql["pluginName"] == "postgres12", f"{store} is not PostgreSQL"
    assert sql["password"] == "secret", f"{store}: the password must come from SQL_PASSWORD, not the file"
assert p["datastores"][p["visibilityStore"]]["sql"]["databaseName"] == "temporal_visibility"
assert int(p["numHistoryShards"]) >= 2, "a cluster wants several history shards"
services = c["services"]
assert set(services) == {"frontend", "history", "matching", "worker"}, sorted(services)
ports = [v for s in services.values() for k, v in s["rpc"].items() if k.endswith("Port")]
assert len(ports) == len(set(ports)), f"ports clash: {ports}"
EOF
else
  fail "python3 with PyYAML is needed to check the compose file (apt-get install python3-yaml)"
fi
# HAProxy in front of the replicas: the file as installed, after Debian's haproxy.cfg, as the
# haproxy unit loads it (-f both), or alone with a global section where Debian's is absent.
if [[ -x /usr/sbin/haproxy ]]; then
  check "haproxy/novacron.cfg (haproxy -c)" bash -c "
    if [[ -f /etc/haproxy/haproxy.cfg ]]; then /usr/sbin/haproxy -c -q -f /etc/haproxy/haproxy.cfg -f '$DEPLOY/haproxy/novacron.cfg'
    else /usr/sbin/haproxy -c -q -f <(printf 'global\n') -f '$DEPLOY/haproxy/novacron.cfg'; fi"
else
  skip "haproxy/novacron.cfg: HAProxy is not installed (apt-get install haproxy)"
fi
# Compose's own schema check, where a compose client is installed (it needs no engine).
compose=()
if docker compose version >/dev/null 2>&1; then compose=(docker compose); elif command -v docker-compose >/dev/null; then compose=(docker-compose); fi
if ((${#compose[@]})); then
  check "${compose[*]} config -q (schema; POSTGRES_PASSWORD required)" bash -c "
    cd '$DEPLOY/temporal' || exit 1
    POSTGRES_PASSWORD=verify ${compose[*]} -f docker-compose.yml config -q || exit 1
    ! env -u POSTGRES_PASSWORD ${compose[*]} -f docker-compose.yml config -q 2>/dev/null"
else
  skip "compose schema check: neither \`docker compose\` nor docker-compose is installed"
fi

# ---------------------------------------------------------------------------------------------
# 6. packaging

version=$(awk '/<artifactId>novacron-parent<\/artifactId>/ { f = 1; next } f && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' "$ROOT/pom.xml")
jars_present=1
for m in web-ui activities-host activities-gpu starter; do
  [[ -f $JARS_FROM/$m/target/novacron-$m-$version-exec.jar ]] || jars_present=0
done
if ((!PACKAGE)); then
  skip "packaging (--no-package)"
elif ((!jars_present)); then
  skip "packaging: no */target/*-exec.jar under $JARS_FROM (build with mvn -B -DskipTests package, or --jars-from=DIR)"
elif ! command -v dpkg-deb >/dev/null; then
  fail "dpkg-deb is missing"
elif out=$("$ROOT/starter/scripts/package.sh" --jars-from="$JARS_FROM" --out="$WORK/dist" --fast 2>&1); then
  pass "package.sh (tarball and .deb)"
  deb=$(ls "$WORK"/dist/novacron_*_all.deb 2>/dev/null | head -1)
  tarball=$WORK/dist/novacron-$version.tar
  [[ -f $tarball ]] || fail "package.sh made no $tarball"
  if [[ -z $deb ]]; then
    fail "package.sh made no .deb"
  else
    listing=$(dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }')
    for path in ./opt/novacron/lib/novacron-web-ui.jar ./opt/novacron/lib/novacron-activities-host.jar \
      ./opt/novacron/lib/novacron-activities-gpu.jar ./opt/novacron/lib/novacron-starter.jar \
      ./opt/novacron/deploy/install.sh \
      ./opt/novacron/deploy/sysusers/novacron.conf ./opt/novacron/deploy/systemd/env/control-plane.env \
      ./opt/novacron/deploy/apparmor/abstractions/novacron-jvm \
      ./opt/novacron/deploy/temporal/docker-compose.yml ./opt/novacron/deploy/temporal/scripts/make-certs.sh \
      ./opt/novacron/deploy/temporal/cluster.yaml ./opt/novacron/deploy/temporal/scripts/setup-postgres.sh \
      ./opt/novacron/deploy/temporal/scripts/login-role.sh ./opt/novacron/deploy/temporal/scripts/login-role.sql \
      ./opt/novacron/deploy/temporal/scripts/install-server.sh ./opt/novacron/deploy/systemd/env/temporal-cluster.env \
      ./opt/novacron/deploy/haproxy/novacron.cfg \
      ./opt/novacron/docs/deploy.md ./opt/novacron/VERSION ./opt/novacron/scripts/guest-image.sh; do
      grep -q " $path\$" <<<"$listing" || fail ".deb lacks $path"
    done
    for u in "${UNITS[@]}"; do
      grep -q " ./opt/novacron/deploy/systemd/$u\$" <<<"$listing" || fail ".deb lacks deploy/systemd/$u"
    done
    for b in novacron-control-plane novacron-host-agent novacron-gpu-agent novacron; do
      grep -q "^-rwxr-xr-x root/root ./opt/novacron/bin/$b\$" <<<"$listing" || fail ".deb: /opt/novacron/bin/$b missing or not root 0755"
    done
    grep -q '^lrwxrwxrwx root/root ./usr/bin/novacron' <<<"$listing" || fail ".deb lacks the /usr/bin/novacron link"
    if grep -v '^[dl-]r[w-]xr-xr-x root/root \|^-rw-r--r-- root/root \|^lrwxrwxrwx root/root ' <<<"$listing" | grep . >/dev/null; then
      fail ".deb has files not owned by root or with odd modes:"
      grep -v '^[dl-]r[w-]xr-xr-x root/root \|^-rw-r--r-- root/root \|^lrwxrwxrwx root/root ' <<<"$listing" | head -5 | sed 's/^/    /' >&2
    fi
    grep -q '^Depends: openjdk-17-jre-headless | java17-runtime-headless, libvirt0, xorriso$' <(dpkg-deb -f "$deb") \
      || fail ".deb Depends is not 'openjdk-17-jre-headless | java17-runtime-headless, libvirt0, xorriso'"
    dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./postinst | grep '/opt/novacron/deploy/install.sh' >/dev/null \
      || fail ".deb postinst does not run install.sh"
    tar_listing=$(tar -tf "$tarball")
    grep -qx 'opt/novacron/bin/novacron-host-agent' <<<"$tar_listing" || fail "tarball lacks opt/novacron/bin/novacron-host-agent"
    pass ".deb contents ($(dpkg-deb -f "$deb" Package Version | tr '\n' ' '))"
    # What postinst does, from the packaged tree: install.sh as unpacked under /opt/novacron
    # (jars left out), into a scratch root.
    debroot=$WORK/debroot
    mkdir -p "$debroot"
    dpkg-deb --fsys-tarfile "$deb" | tar -C "$debroot" -xf - --exclude='./opt/novacron/lib/*'
    if out=$("$debroot/opt/novacron/deploy/install.sh" --root="$debroot" --node=deb-node 2>&1) \
      && [[ -f $debroot/etc/systemd/system/novacron-host-agent.service ]] \
      && grep -qx 'NOVACRON_NODE=deb-node' "$debroot/etc/novacron/gpu-agent.env"; then
      pass "packaged install.sh (postinst) into a scratch root"
    else
      fail "packaged /opt/novacron/deploy/install.sh --root"; printf '%s\n' "$out" | sed 's/^/    /' >&2
    fi
    # The launchers find their jar: the GPU agent without a node name stops at once with 64.
    if command -v java >/dev/null; then
      mkdir -p "$WORK/unpacked"
      tar -C "$WORK/unpacked" -xf "$tarball" opt/novacron/bin opt/novacron/lib/novacron-activities-gpu.jar
      out=$(env -u NOVACRON_NODE "$WORK/unpacked/opt/novacron/bin/novacron-gpu-agent" 2>&1)
      rc=$?
      if ((rc == 64)) && grep -q 'NOVACRON_NODE' <<<"$out"; then
        pass "bin/novacron-gpu-agent from the tarball starts its jar (no node: exit 64)"
      else
        fail "bin/novacron-gpu-agent from the tarball: expected exit 64 asking for a node, got $rc"
        printf '%s\n' "$out" | tail -5 | sed 's/^/    /' >&2
      fi
      # And with a node name it connects to a real (dev) Temporal server and announces itself:
      # the node's entity workflow appears there.
      if command -v temporal >/dev/null; then
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        ui=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        temporal server start-dev --ip 127.0.0.1 --port "$port" --ui-port "$ui" --headless --log-level error \
          >"$WORK/temporal.log" 2>&1 &
        temporal_pid=$!
        # No node certificates in this one-machine check: plaintext transfers chosen explicitly, as
        # the agent demands off loopback (docs/security.md, "TLS between nodes").
        NOVACRON_NODE=dist-check NOVACRON_TEMPORAL="127.0.0.1:$port" NOVACRON_TRANSFER_TLS=off \
          "$WORK/unpacked/opt/novacron/bin/novacron-gpu-agent" >"$WORK/gpu-agent.log" 2>&1 &
        agent_pid=$!
        announced=0
        for _ in $(seq 1 60); do
          if temporal workflow describe --address "127.0.0.1:$port" -w node-dist-check >/dev/null 2>&1; then
            announced=1; break
          fi
          sleep 1
        done
        kill "$agent_pid" "$temporal_pid" 2>/dev/null; wait "$agent_pid" "$temporal_pid" 2>/dev/null
        if ((announced)); then
          pass "bin/novacron-gpu-agent from the tarball connects to a Temporal dev server and announces node dist-check"
        else
          fail "bin/novacron-gpu-agent from the tarball never announced itself to a dev server"
          tail -5 "$WORK/gpu-agent.log" | sed 's/^/    /' >&2
        fi
      else
        skip "packaged agent against a dev server: no temporal CLI"
      fi
    fi
  fi
else
  fail "package.sh"; printf '%s\n' "$out" | sed 's/^/    /' >&2
fi

# ---------------------------------------------------------------------------------------------

if ((${#FAILURES[@]})); then
  printf 'verify: %d check(s) failed:\n' "${#FAILURES[@]}" >&2
  printf '  - %s\n' "${FAILURES[@]}" >&2
  exit 1
fi
echo "verify: all deploy checks passed"
