#!/usr/bin/env bash
# package.sh: the NovaCron distribution, from jars that are already built (no Maven here).
#
#   starter/scripts/package.sh [--jars-from=DIR] [--out=DIR] [--no-tar] [--no-deb] [--fast]
#
# Makes, under OUT (default target/dist in the repository):
#   novacron-<version>.tar.gz        opt/novacron/... : unpack with `tar -C / -xzf`, then run
#                                    /opt/novacron/deploy/install.sh
#   novacron_<debversion>_all.deb    the same tree, plus /usr/bin/novacron; its postinst runs
#                                    install.sh (Depends: a Java 17 runtime, libvirt0, xorriso for cloud-init seeds)
#
# Layout of /opt/novacron:
#   bin/novacron-control-plane, bin/novacron-host-agent, bin/novacron-gpu-agent, bin/novacron
#   lib/novacron-{web-ui,activities-host,activities-gpu,starter}.jar   (the *-exec.jar files)
#   deploy/   install.sh, systemd/, apparmor/, sysusers/, temporal/, haproxy/, prometheus/, grafana/ (verify.sh stays in the
#             source tree: it checks the packaging itself)
#   scripts/guest-image.sh (the `tiny` guest image), docs/deploy.md, docs/metrics.md, VERSION
#
#   --jars-from=DIR  where */target/novacron-*-<version>-exec.jar are (default: the repository;
#                    build them with `mvn -B -DskipTests package`)
#   --fast           no compression, novacron-<version>.tar (for tests: the jars are
#                    compressed already)
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
JARS_FROM=$ROOT
OUT=$ROOT/target/dist
TAR=1
DEB=1
FAST=0
MODULES=(web-ui activities-host activities-gpu starter)

die() { printf 'package.sh: %s\n' "$*" >&2; exit 1; }
say() { printf 'package.sh: %s\n' "$*"; }

for arg in "$@"; do
  case $arg in
    --jars-from=*) JARS_FROM=${arg#--jars-from=} ;;
    --out=*) OUT=${arg#--out=} ;;
    --no-tar) TAR=0 ;;
    --no-deb) DEB=0 ;;
    --fast) FAST=1 ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (see --help)" ;;
  esac
done

# The project version: the <version> right after novacron-parent's artifactId.
VERSION=$(awk '/<artifactId>novacron-parent<\/artifactId>/ { found = 1; next }
  found && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' "$ROOT/pom.xml")
[[ -n $VERSION ]] || die "no version in $ROOT/pom.xml"
# Debian orders 0.1.0~snapshot before 0.1.0, as Maven orders 0.1.0-SNAPSHOT before 0.1.0.
DEB_VERSION=$(printf '%s' "$VERSION" | sed 's/-SNAPSHOT$/~snapshot/; s/-/~/g')

for m in "${MODULES[@]}"; do
  j=$JARS_FROM/$m/target/novacron-$m-$VERSION-exec.jar
  [[ -f $j ]] || die "missing $j: build first (mvn -B -DskipTests package)"
done

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
STAGE=$OUT/stage
rm -rf "$STAGE"
APP=$STAGE/opt/novacron
install -d -m 0755 "$APP"/{bin,lib,deploy,docs,scripts}

# Jars: hard links where the file system allows and the mode is already 0644 (the stage is
# thrown away; a link never changes the built jar), copies otherwise.
for m in "${MODULES[@]}"; do
  j=$JARS_FROM/$m/target/novacron-$m-$VERSION-exec.jar
  if [[ $(stat -c %a "$j") != 644 ]] || ! ln "$j" "$APP/lib/novacron-$m.jar" 2>/dev/null; then
    install -m 0644 "$j" "$APP/lib/novacron-$m.jar"
  fi
done
install -m 0755 "$ROOT"/deploy/bin/* "$APP/bin/"
cp -R "$ROOT"/deploy/{install.sh,systemd,apparmor,sysusers,temporal,haproxy,prometheus,grafana} "$APP/deploy/"
rm -f "$APP/deploy/temporal/.env" # a local .env may hold a password; .env.example is the template
install -m 0755 "$ROOT/starter/scripts/guest-image.sh" "$APP/scripts/guest-image.sh"
install -m 0644 "$ROOT/docs/deploy.md" "$APP/docs/deploy.md"
install -m 0644 "$ROOT/docs/metrics.md" "$APP/docs/metrics.md"
printf '%s\n' "$VERSION" >"$APP/VERSION"
chmod -R u=rwX,go=rX "$APP"/{bin,deploy,docs,VERSION}
chmod 0755 "$APP"/bin/* "$APP"/deploy/*.sh "$APP"/deploy/temporal/scripts/*.sh

if ((TAR)); then
  tarball=$OUT/novacron-$VERSION.tar.gz
  compress=(gzip -6)
  # --fast: a plain .tar (gzip alone takes ~10 s on the jars, which are compressed already)
  ((FAST)) && { tarball=$OUT/novacron-$VERSION.tar; compress=(cat); }
  tar -C "$STAGE" --owner=0 --group=0 --numeric-owner --sort=name -cf - opt | "${compress[@]}" >"$tarball.tmp"
  mv "$tarball.tmp" "$tarball"
  say "made $tarball ($(du -h "$tarball" | cut -f1))"
fi

if ((DEB)); then
  command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (a Debian or Ubuntu machine builds the .deb)"
  install -d -m 0755 "$STAGE/usr/bin" "$STAGE/DEBIAN"
  ln -s /opt/novacron/bin/novacron "$STAGE/usr/bin/novacron"
  cat >"$STAGE/DEBIAN/control" <<EOF
Package: novacron
Version: $DEB_VERSION
Architecture: all
Maintainer: NovaCron maintainers <novacron@localhost>
Installed-Size: $(du -sk "$STAGE/opt" | cut -f1)
Depends: openjdk-17-jre-headless | java17-runtime-headless, libvirt0, xorriso
Recommends: libvirt-daemon-system, apparmor
Section: admin
Priority: optional
Description: orchestrator for KVM fleets and GPU clusters on Temporal
 NovaCron runs every operation as a durable Temporal workflow. This package holds the control
 plane (REST API, dashboard), the host agent (libvirt), the GPU agent (nvidia-smi), the
 novacron command line, systemd units and AppArmor profiles. Its postinst runs
 /opt/novacron/deploy/install.sh: user novacron, /etc/novacron/*.env (never overwritten),
 /var/lib/novacron, units enabled but not started.
EOF
  cat >"$STAGE/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
case "$1" in
  configure)
    /opt/novacron/deploy/install.sh
    if [ -d /run/systemd/system ]; then
      # An upgrade: restart what runs so that it uses the new jars; a first install starts nothing.
      systemctl try-restart novacron-control-plane.service novacron-host-agent.service \
        novacron-gpu-agent.service >/dev/null 2>&1 || true
    fi
    ;;
esac
exit 0
EOF
  cat >"$STAGE/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  systemctl stop novacron.target novacron-control-plane.service novacron-host-agent.service \
    novacron-gpu-agent.service novacron-temporal.service >/dev/null 2>&1 || true
  systemctl disable novacron.target novacron-control-plane.service novacron-host-agent.service \
    novacron-gpu-agent.service novacron-temporal.service >/dev/null 2>&1 || true
fi
exit 0
EOF
  cat >"$STAGE/DEBIAN/postrm" <<'EOF'
#!/bin/sh
# install.sh put units, profiles and the sysusers file in place (dpkg does not track them):
# remove them with the package. Settings go on purge; data (/var/lib/novacron) and the user stay.
set -e
case "$1" in
  remove | purge)
    for p in /etc/apparmor.d/opt.novacron.*; do
      [ -e "$p" ] || continue
      command -v apparmor_parser >/dev/null && apparmor_parser -R "$p" >/dev/null 2>&1 || true
      rm -f "$p"
    done
    rm -f /etc/apparmor.d/abstractions/novacron-jvm /usr/lib/sysusers.d/novacron.conf \
      /etc/systemd/system/novacron.target /etc/systemd/system/novacron-*.service
    [ -d /run/systemd/system ] && systemctl daemon-reload >/dev/null 2>&1 || true
    ;;
esac
if [ "$1" = purge ]; then
  rm -rf /etc/novacron
fi
exit 0
EOF
  chmod 0755 "$STAGE"/DEBIAN/{postinst,prerm,postrm}
  deb=$OUT/novacron_${DEB_VERSION}_all.deb
  compress=(-Zgzip -z6)
  ((FAST)) && compress=(-Znone)
  dpkg-deb --root-owner-group "${compress[@]}" --build "$STAGE" "$deb" >/dev/null
  say "made $deb ($(du -h "$deb" | cut -f1))"
fi
rm -rf "$STAGE"
