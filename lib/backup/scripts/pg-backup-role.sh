#!/bin/sh
# Creates or updates the least-privilege role the backup jobs connect as (run once per apply by a
# Job, as the superuser): LOGIN REPLICATION (pg_basebackup, pg_receivewal, the backup slot), read
# access to all data (pg_dump, the manifest), the two WAL functions the jobs call, and a
# SECURITY DEFINER function that takes the manifest's brief SHARE locks. Nothing else.
# Env: PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE (superuser), BACKUP_ROLE_USER, BACKUP_ROLE_PASSWORD.
set -eu
# shellcheck source=backup-lib.sh
. "${SCRIPTS_DIR:-/scripts}/backup-lib.sh"
require PGHOST PGUSER PGDATABASE BACKUP_ROLE_USER BACKUP_ROLE_PASSWORD

# The password reaches psql through the environment (a backquoted printf), never the command line.
psql -X -q -v ON_ERROR_STOP=1 -v role="$BACKUP_ROLE_USER" -f - <<'SQL'
\set password `printf '%s' "$BACKUP_ROLE_PASSWORD"`
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L', :'role', :'password') \gexec
\unset password
GRANT pg_read_all_data TO :"role";
GRANT EXECUTE ON FUNCTION pg_switch_wal() TO :"role";
GRANT EXECUTE ON FUNCTION pg_create_restore_point(text) TO :"role";
CREATE SCHEMA IF NOT EXISTS media_ai_backup;
REVOKE ALL ON SCHEMA media_ai_backup FROM PUBLIC;
GRANT USAGE ON SCHEMA media_ai_backup TO :"role";
CREATE OR REPLACE FUNCTION media_ai_backup.lock_tables_share() RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  t text;
  n integer := 0;
BEGIN
  -- Held until the caller's transaction ends: the manifest's locking session commits right after
  -- exporting its snapshot and creating the restore point.
  FOR t IN SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema', 'media_ai_backup') ORDER BY 1 LOOP
    EXECUTE 'LOCK TABLE ' || t || ' IN SHARE MODE';
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION media_ai_backup.lock_tables_share() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION media_ai_backup.lock_tables_share() TO :"role";
SQL
log "backup role $BACKUP_ROLE_USER is up to date in $PGDATABASE"
