#!/usr/bin/env bash
# Start Debian's PostgreSQL cluster and make the role the tests use (idempotent). Run as root after
# `apt-get install -y postgresql`; then export
#   NEWSGRAPH_TEST_PG=postgresql+psycopg://newsgraph:newsgraph@127.0.0.1/postgres
set -euo pipefail
read -r version cluster _ < <(pg_lsclusters --no-header | head -n 1)
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'newsgraph') THEN
    CREATE ROLE newsgraph LOGIN PASSWORD 'newsgraph' CREATEDB;
  END IF;
END $$;
SQL
echo "PostgreSQL $version/$cluster is up; role newsgraph can create test databases"
