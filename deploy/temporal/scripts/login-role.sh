# login-role.sh: sourced, not run. Defines login_role, which creates or repairs a least-privilege
# login role with login-role.sql (beside this file) through the caller's psql_admin. Shared by
# `novacron cluster up` (starter/scripts/cluster.sh) and the installed layout's setup-postgres.sh,
# so that the two session settings login-role.sql reads are named in one place.
#
#   . login-role.sh; psql_admin() { psql ... "$@"; }; login_role ROLE PASSWORD
#
# psql_admin: the caller's function that runs psql as a superuser with ON_ERROR_STOP, passing on
# its arguments. The password reaches psql as a variable on standard input, never on a command
# line that ps would show, and is never printed.
# shellcheck shell=bash

LOGIN_ROLE_SQL=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)/login-role.sql

login_role() { # role, password
  { printf '%s\n' "SET novacron.role_name = :'role';" "SET novacron.role_password = :'pw';"
    cat "$LOGIN_ROLE_SQL"; } | psql_admin -v role="$1" -v pw="$2"
}
