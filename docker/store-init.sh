#!/bin/sh
# Run once by the store's postgres image when its data directory is created: the role the
# gateways log in with, owner of the `sluice` database, where `sluice store migrate` creates the
# schema. It is not a superuser: it owns that database and nothing else on the server.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v store_password="$SLUICE_STORE_PASSWORD" <<'SQL'
CREATE ROLE sluice LOGIN PASSWORD :'store_password';
CREATE DATABASE sluice OWNER sluice;
SQL
