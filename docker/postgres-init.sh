#!/bin/sh
# Run once by the postgres image when its data directory is created: the role Sluice logs in
# with, allowed to read and write the tables of the `orders` database and nothing more.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v sluice_password="$ORDERS_DB_PASSWORD" <<'SQL'
CREATE ROLE sluice_svc LOGIN PASSWORD :'sluice_password';
GRANT CONNECT ON DATABASE orders TO sluice_svc;
GRANT USAGE ON SCHEMA public TO sluice_svc;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sluice_svc;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO sluice_svc;
SQL
