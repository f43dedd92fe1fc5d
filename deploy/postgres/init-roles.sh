#!/bin/sh
# The ledger's two roles, run by the postgres image on first start (mounted into
# /docker-entrypoint-initdb.d by docker-compose.yml). Idempotent: to convert an existing volume, run
#   docker compose exec postgres sh /docker-entrypoint-initdb.d/10-ledger-roles.sh
#
# - ledger_owner owns the database and runs the migrations (DATABASE_MIGRATION_URL); it owns the
#   log (events, event_chain), so only it could alter the log or switch its append-only trigger off.
# - ledger_service is what the service connects as (DATABASE_URL): INSERT and SELECT on the log;
#   the service hands it the read models at start (apps/ledger/src/database/service-role-grants.ts).
# - ledger_owner is a member of ledger_service (later migrations alter the read models), never the
#   reverse.
set -eu
: "${LEDGER_OWNER_PASSWORD:?set LEDGER_OWNER_PASSWORD}"
: "${LEDGER_SERVICE_PASSWORD:?set LEDGER_SERVICE_PASSWORD}"
DB="${POSTGRES_DB:-ledger}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "$DB" \
  -v owner_password="$LEDGER_OWNER_PASSWORD" -v service_password="$LEDGER_SERVICE_PASSWORD" -v db="$DB" <<'SQL'
SELECT 'CREATE ROLE ledger_owner LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_owner') \gexec
SELECT 'CREATE ROLE ledger_service LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ledger_service') \gexec
ALTER ROLE ledger_owner PASSWORD :'owner_password';
ALTER ROLE ledger_service PASSWORD :'service_password';
GRANT ledger_service TO ledger_owner;
ALTER DATABASE :"db" OWNER TO ledger_owner;
-- A volume migrated before the roles existed: what the superuser created goes to the owner, which
-- hands the read models to the service at the next start.
SELECT format('ALTER TABLE %I.%I OWNER TO ledger_owner', n.nspname, c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('public', 'ledger_rebuild', 'ledger_retired') AND c.relowner = current_user::regrole \gexec
SELECT format('ALTER FUNCTION %s OWNER TO ledger_owner', p.oid::regprocedure)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = 'public' AND p.proowner = current_user::regrole \gexec
SELECT format('ALTER SCHEMA %I OWNER TO ledger_owner', nspname)
  FROM pg_namespace WHERE nspname IN ('ledger_rebuild', 'ledger_retired') AND nspowner = current_user::regrole \gexec
SQL
