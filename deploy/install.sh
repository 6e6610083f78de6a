#!/usr/bin/env bash
# install.sh: put NovaCron's service account, directories, settings, systemd units, AppArmor
# profiles and monitoring files (alert rules, dashboard: /opt/novacron/share) in place on an Ubuntu/Debian node, and enable the units. Safe to run twice: settings in
# /etc/novacron are written only when missing, never overwritten; units and profiles are
# replaced (they are code, not configuration).
#
#   install.sh [--root=DIR] [--node=NAME] [--components=LIST] [--apparmor=MODE] [--no-enable]
#
#   --root=DIR        install into DIR instead of / (also DESTDIR=DIR): nothing outside DIR is
#                     touched, no systemctl, no apparmor_parser. For packaging and tests.
#   --node=NAME       node name written into new host-agent.env / gpu-agent.env
#                     (default: this machine's short host name, lower-cased)
#   --components=LIST which units to enable, of control-plane,host-agent,gpu-agent,temporal
#                     (default: what /etc/novacron/components says, else all four). Remembered in
#                     /etc/novacron/components, so a package upgrade keeps the choice. The cluster
#                     topology (docs/deploy.md, "A cluster") instead of the single-node Temporal
#                     and control plane: temporal-cluster (novacron-temporal-schema and
#                     novacron-temporal@{history,matching,frontend,worker}) and one
#                     control-plane@PORT per replica, e.g.
#                     --components=temporal-cluster,control-plane@8181,control-plane@8182,host-agent
#   --apparmor=MODE   complain (default), enforce or skip: how the agents' profiles are loaded
#   --no-enable       install only; do not enable units
#   --no-libvirt-group  do not add novacron to the group libvirt (see docs/deploy.md, "libvirt
#                     access": only where libvirtd authorizes by socket group, not polkit)
#
# Expects to run from an unpacked distribution (/opt/novacron/deploy/install.sh, next to
# ../bin and ../lib) or from the source tree (deploy/install.sh); either way units, profiles and
# example settings are read from the directory this script is in. It never creates a password:
# the control plane has no default credential, and an external database's password is the
# administrator's to put in /etc/novacron/control-plane.env.
set -euo pipefail

HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOT=${DESTDIR:-}
NODE=
COMPONENTS=
APPARMOR=complain
ENABLE=1
LIBVIRT_GROUP=1
ALL_COMPONENTS=(control-plane host-agent gpu-agent temporal)
# The cluster's components: not in the default, since they need PostgreSQL set up first.
TEMPORAL_SERVICES=(history matching frontend worker)

say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
  case $arg in
    --root=*) ROOT=${arg#--root=} ;;
    --node=*) NODE=${arg#--node=} ;;
    --components=*) COMPONENTS=${arg#--components=} ;;
    --apparmor=*) APPARMOR=${arg#--apparmor=} ;;
    --no-enable) ENABLE=0 ;;
    --no-libvirt-group) LIBVIRT_GROUP=0 ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (see --help)" ;;
  esac
done
case $APPARMOR in complain | enforce | skip) ;; *) die "--apparmor must be complain, enforce or skip" ;; esac
if [[ -n $ROOT ]]; then
  mkdir -p "$ROOT"
  ROOT=$(cd "$ROOT" && pwd)
  [[ $ROOT != / ]] || ROOT=
fi
LIVE=1
[[ -z $ROOT ]] || LIVE=0
[[ $(id -u) == 0 ]] || die "run as root (with --root=DIR too: it sets owners)"

# ---------------------------------------------------------------------------------------------
# the service account

SYSUSERS=$HERE/sysusers/novacron.conf
install -D -m 0644 "$SYSUSERS" "$ROOT/usr/lib/sysusers.d/novacron.conf"
if ((LIVE)); then
  if ! getent passwd novacron >/dev/null; then
    if command -v systemd-sysusers >/dev/null; then
      systemd-sysusers "$ROOT/usr/lib/sysusers.d/novacron.conf"
    else
      getent group novacron >/dev/null || groupadd --system novacron
      useradd --system --gid novacron --home-dir /var/lib/novacron --no-create-home \
        --shell /usr/sbin/nologin --comment "NovaCron services" novacron
    fi
    say "created the system user novacron"
  fi
  uid=$(id -u novacron)
  gid=$(getent group novacron | cut -d: -f3)
else
  mkdir -p "$ROOT/etc"
  systemd-sysusers --root="$ROOT" - <"$SYSUSERS" >/dev/null
  uid=$(awk -F: '$1 == "novacron" { print $3 }' "$ROOT/etc/passwd")
  gid=$(awk -F: '$1 == "novacron" { print $3 }' "$ROOT/etc/group")
fi
[[ -n $uid && -n $gid ]] || die "could not create or find the user novacron"

# ---------------------------------------------------------------------------------------------
# directories: created when missing, owner and mode set every time (a second run repairs them)

dir() { # mode owner group path
  install -d -m "$1" -o "$2" -g "$3" "$ROOT$4"
  chmod "$1" "$ROOT$4"
  chown "$2:$3" "$ROOT$4"
}
dir 0750 0 "$gid" /etc/novacron
dir 0750 0 "$gid" /etc/novacron/tls
dir 0750 0 "$gid" /etc/novacron/temporal
# 0755 down to node/: libvirt's QEMU (user libvirt-qemu) must walk to disks and images.
dir 0755 "$uid" "$gid" /var/lib/novacron
dir 0755 "$uid" "$gid" /var/lib/novacron/node
dir 0755 "$uid" "$gid" /var/lib/novacron/node/images
dir 0755 "$uid" "$gid" /var/lib/novacron/node/disks
dir 0755 "$uid" "$gid" /var/lib/novacron/node/consoles
dir 0750 "$uid" "$gid" /var/lib/novacron/gpu
dir 0700 "$uid" "$gid" /var/lib/novacron/temporal

# ---------------------------------------------------------------------------------------------
# settings: written once, never overwritten

node_name() {
  local n=${NODE:-$(hostname -s 2>/dev/null || echo node)}
  n=$(printf '%s' "$n" | tr 'A-Z_.' 'a-z--' | tr -cd 'a-z0-9-')
  [[ $n =~ ^[a-z] ]] || n="node-$n"
  printf '%s' "${n:0:63}" | sed 's/-*$//'
}
NODE=$(node_name)
[[ $NODE =~ ^[a-z][a-z0-9-]{0,62}$ ]] || die "node name '$NODE' is not lower-case letters, digits and '-'"

for env in control-plane host-agent gpu-agent temporal temporal-cluster; do
  target=$ROOT/etc/novacron/$env.env
  if [[ -e $target ]]; then
    continue
  fi
  tmp=$(mktemp "$ROOT/etc/novacron/.$env.env.XXXXXX")
  sed "s/@NODE@/$NODE/g" "$HERE/systemd/env/$env.env" >"$tmp"
  chown "0:$gid" "$tmp"
  chmod 0640 "$tmp"
  mv "$tmp" "$target"
  say "wrote /etc/novacron/$env.env"
done

components_file=$ROOT/etc/novacron/components
if [[ -z $COMPONENTS ]]; then
  if [[ -s $components_file ]]; then
    COMPONENTS=$(tr -d ' \n' <"$components_file")
  else
    COMPONENTS=$(IFS=,; echo "${ALL_COMPONENTS[*]}")
  fi
fi
IFS=, read -r -a wanted <<<"$COMPONENTS"
for c in "${wanted[@]}"; do
  [[ " ${ALL_COMPONENTS[*]} " == *" $c "* || $c == temporal-cluster || $c =~ ^control-plane@[0-9]{2,5}$ ]] \
    || die "unknown component '$c' (one of ${ALL_COMPONENTS[*]}, temporal-cluster, control-plane@PORT)"
done
printf '%s\n' "$COMPONENTS" >"$components_file"
chmod 0644 "$components_file"

# libvirt access for the host agent. Stock Debian/Ubuntu libvirtd authorizes its socket through
# polkit, whose rule (60-libvirt.rules) asks whether the *user* is in the group libvirt in the
# group database: the unit's SupplementaryGroups= alone does not satisfy it. So novacron joins
# libvirt on host-agent nodes. Where libvirtd is set to authorize by socket group instead
# (unix_sock_group, 0770, auth_unix_rw = "none"), --no-libvirt-group keeps the other units away
# from libvirt entirely.
if ((LIBVIRT_GROUP)) && [[ ",$COMPONENTS," == *,host-agent,* ]] \
  && grep -q '^libvirt:' "$ROOT/etc/group" 2>/dev/null \
  && ! grep -qE '^libvirt:[^:]*:[^:]*:(.*,)?novacron(,|$)' "$ROOT/etc/group"; then
  if ((LIVE)); then usermod -a -G libvirt novacron; else usermod -R "$ROOT" -a -G libvirt novacron; fi
  say "added novacron to the group libvirt (libvirtd's polkit rule checks group membership)"
fi

# ---------------------------------------------------------------------------------------------
# systemd units and AppArmor profiles: replaced every time

for unit in "$HERE"/systemd/*.service "$HERE"/systemd/*.target; do
  install -D -m 0644 -o 0 -g 0 "$unit" "$ROOT/etc/systemd/system/${unit##*/}"
done
for profile in "$HERE"/apparmor/opt.novacron.*; do
  install -D -m 0644 -o 0 -g 0 "$profile" "$ROOT/etc/apparmor.d/${profile##*/}"
done
install -D -m 0644 -o 0 -g 0 "$HERE/apparmor/abstractions/novacron-jvm" \
  "$ROOT/etc/apparmor.d/abstractions/novacron-jvm"
# The Temporal cluster's server config: code (a template; the password comes from
# temporal-cluster.env), so replaced like the units.
install -m 0644 -o 0 -g 0 "$HERE/temporal/cluster.yaml" "$ROOT/etc/novacron/temporal/cluster.yaml"

# ---------------------------------------------------------------------------------------------
# monitoring: Prometheus alert rules and the Grafana dashboard at a stable path for
# prometheus.yml's rule_files and Grafana's import (docs/metrics.md); replaced every time

install -D -m 0644 -o 0 -g 0 "$HERE/prometheus/novacron-alerts.yml" \
  "$ROOT/opt/novacron/share/prometheus/novacron-alerts.yml"
install -D -m 0644 -o 0 -g 0 "$HERE/grafana/novacron-dashboard.json" \
  "$ROOT/opt/novacron/share/grafana/novacron-dashboard.json"

# ---------------------------------------------------------------------------------------------
# live only: load profiles, enable units

if ((!LIVE)); then
  say "installed into $ROOT (no systemctl, no apparmor_parser)"
  exit 0
fi

if [[ $APPARMOR != skip ]] && command -v apparmor_parser >/dev/null \
  && [[ -r /sys/kernel/security/apparmor/profiles ]]; then
  flag=()
  [[ $APPARMOR == complain ]] && flag=(--complain)
  for profile in /etc/apparmor.d/opt.novacron.*; do
    apparmor_parser -r -W "${flag[@]}" "$profile" || die "AppArmor rejected $profile"
  done
  say "AppArmor profiles loaded ($APPARMOR mode)"
else
  say "AppArmor not active or skipped: profiles installed, not loaded"
fi

# Not booted with systemd (an image being built, a chroot, a container before its first boot):
# `systemctl enable` still works offline, it only writes the links, so the units start on the
# first boot. Only the reload needs a running systemd.
BOOTED=0
[[ -d /run/systemd/system ]] && [[ $(cat /proc/1/comm 2>/dev/null) == systemd ]] && BOOTED=1
if ((BOOTED)); then
  systemctl daemon-reload
elif ! command -v systemctl >/dev/null; then
  say "no systemctl here: units installed, not enabled"
  exit 0
fi
if ((ENABLE)); then
  units=()
  for c in "${wanted[@]}"; do
    if [[ $c == temporal-cluster ]]; then
      units+=(novacron-temporal-schema.service)
      for s in "${TEMPORAL_SERVICES[@]}"; do units+=("novacron-temporal@$s.service"); done
    else
      units+=("novacron-$c.service")
    fi
  done
  systemctl enable novacron.target "${units[@]}" >/dev/null 2>&1
  # Exactly the chosen components: one dropped from the list is disabled (not stopped).
  for c in "${ALL_COMPONENTS[@]}"; do
    [[ " ${wanted[*]} " == *" $c "* ]] || systemctl disable "novacron-$c.service" >/dev/null 2>&1 || true
  done
  if [[ " ${wanted[*]} " != *" temporal-cluster "* ]]; then
    for s in "${TEMPORAL_SERVICES[@]}"; do systemctl disable "novacron-temporal@$s.service" >/dev/null 2>&1 || true; done
    systemctl disable novacron-temporal-schema.service >/dev/null 2>&1 || true
  fi
  for link in /etc/systemd/system/novacron.target.wants/novacron-control-plane@*.service; do
    [[ -e $link || -L $link ]] || continue
    c=${link##*/novacron-}; c=${c%.service}
    [[ " ${wanted[*]} " == *" $c "* ]] || systemctl disable "novacron-$c.service" >/dev/null 2>&1 || true
  done
  say "enabled novacron.target with ${units[*]}$( ((BOOTED)) || echo ' (offline: systemd is not running here)')"
  if [[ " ${wanted[*]} " == *" host-agent "* ]] && ! getent group libvirt >/dev/null; then
    say "warning: no group libvirt (install libvirt-daemon-system): the host agent cannot start"
  fi
  if [[ " ${wanted[*]} " == *" temporal "* ]] && [[ ! -x /usr/local/bin/temporal ]]; then
    say "warning: /usr/local/bin/temporal missing: novacron-temporal.service cannot start"
  fi
  if [[ " ${wanted[*]} " == *" temporal-cluster "* ]]; then
    [[ -x /usr/local/lib/temporal/server ]] \
      || say "warning: no /usr/local/lib/temporal/server: run $HERE/temporal/scripts/install-server.sh"
    grep -q '^SQL_PASSWORD=.' /etc/novacron/temporal-cluster.env \
      || say "warning: SQL_PASSWORD is empty in /etc/novacron/temporal-cluster.env: run $HERE/temporal/scripts/setup-postgres.sh"
  fi
fi
say "done. Edit /etc/novacron/*.env, then: systemctl start novacron.target"
