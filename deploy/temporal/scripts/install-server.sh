#!/usr/bin/env bash
# install-server.sh [DIR]: build the Temporal server v1.32.2 and its sql tool into DIR
# (/usr/local/lib/temporal: server, sql), where novacron-temporal@.service and
# novacron-temporal-schema.service expect them. Needs Go (Debian's golang-go is enough: the
# GOTOOLCHAIN line below makes it fetch the toolchain the server requires) and network access to
# the Go module proxy; about five minutes and 161 MB. Does nothing when both are there.
set -euo pipefail

dir=${1:-/usr/local/lib/temporal}
version=v1.32.2
# go.temporal.io/server v1.32.2 requires go >= 1.26.10; older local Go refuses it without this.
export GOTOOLCHAIN=go1.27.3

if [[ -x $dir/server && -x $dir/sql ]]; then
  echo "install-server: $dir/server and $dir/sql are there"
  exit 0
fi
command -v go >/dev/null || { echo "install-server: no go (apt-get install golang-go)" >&2; exit 1; }
mkdir -p "$dir"
echo "install-server: building the Temporal server $version and its sql tool into $dir (about five minutes)"
GOBIN=$dir go install "go.temporal.io/server/cmd/server@$version"
GOBIN=$dir go install "go.temporal.io/server/cmd/tools/sql@$version"
chmod 0755 "$dir/server" "$dir/sql"
