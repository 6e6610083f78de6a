-- A login role for a NovaCron service, least privilege: it may log in and own what it is given,
-- nothing more (no superuser, no CREATEROLE, no CREATEDB, no replication, no RLS bypass).
-- Created when missing; its attributes and password are set on every run, so a run repairs a
-- role someone widened by hand and follows a rotated password file.
--
-- Inputs, as session settings (so that psql and JDBC can both pass them without string pasting):
--   SELECT set_config('novacron.role_name', 'novacron', false);
--   SELECT set_config('novacron.role_password', '<password>', false);
-- Used by the embedded PostgreSQL of `novacron up` (EmbeddedPostgresRole, from the control plane's
-- jar, where the web-ui build copies it), by `novacron cluster up` (starter/scripts/cluster.sh) and
-- by the installed layout's setup-postgres.sh; the two scripts pipe it into psql after the two
-- settings set (login_role of login-role.sh, beside this file: `SET novacron.role_name = ...`),
-- printing nothing.
DO $role$
DECLARE
  r  text := current_setting('novacron.role_name');
  pw text := current_setting('novacron.role_password');
BEGIN
  IF r IS NULL OR r = '' OR pw IS NULL OR pw = '' THEN
    RAISE EXCEPTION 'set novacron.role_name and novacron.role_password before running login-role.sql';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
    EXECUTE format('CREATE ROLE %I', r);
  END IF;
  EXECUTE format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD %L',
                 r, pw);
END
$role$;
