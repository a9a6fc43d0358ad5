#!/bin/sh
# Creates (or updates) the application's PostgreSQL role: LOGIN and nothing more (no superuser,
# createdb, createrole, replication or bypassrls), CONNECT and TEMPORARY on the database, USAGE and
# CREATE on schema public. Idempotent: a re-run sets the current password from the Secret.
set -eu
: "${PGHOST:?PGHOST is required}"
: "${PGUSER:?PGUSER (the superuser) is required}"
: "${PGDATABASE:?PGDATABASE is required}"
: "${APP_USER:?APP_USER is required}"
: "${APP_PASSWORD:?APP_PASSWORD is required}"

if [ "$APP_USER" = "$PGUSER" ]; then
  echo "the application role must not be the superuser ($PGUSER): give it its own Secret" >&2
  exit 1
fi

attempts=0
until pg_isready -q; do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge "${PG_WAIT_ATTEMPTS:-60}" ]; then
    echo "PostgreSQL at $PGHOST did not become ready" >&2
    exit 1
  fi
  sleep "${PG_WAIT_SECONDS:-5}"
done

# Names and password reach psql from the environment (backquoted printenv), never on a command
# line; the statement carrying the password is not logged.
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
\set app_user `printenv APP_USER`
\set app_password `printenv APP_PASSWORD`
SET log_statement = 'none';
SET log_min_duration_statement = -1;
SELECT format('CREATE ROLE %I', :'app_user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user')
\gexec
ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), :'app_user')
\gexec
GRANT USAGE, CREATE ON SCHEMA public TO :"app_user";
SQL
echo "role $APP_USER ready on database $PGDATABASE"
