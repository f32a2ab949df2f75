import type pg from 'pg';
import { JournalError } from '../errors.js';

/** The shared store's schema version this Sluice writes and reads (table `sluice_schema`). */
export const STORE_SCHEMA_VERSION = 1;

/** Held while migrating, so that two `sluice store migrate` runs do not interleave. */
const MIGRATE_LOCK = 0x51_1ce_001;
/** Taken (per transaction) by every ingest into the store, so that record ids become visible in order. */
export const RECORDS_ORDER_LOCK = 0x51_1ce_002;

/** Channels of the store's notifications. */
export const RECORDS_CHANNEL = 'sluice_records';
export const CONTROL_CHANNEL = 'sluice_control';

// Version 1. Records keep the journal's fields; `id` is the order they reached the store (every
// ingest takes RECORDS_ORDER_LOCK, so ids become visible in order and a reader's cursor on id
// never skips one), `gateway` and `seq` their place in their gateway's own chain. As in the
// SQLite store, UPDATE is refused and DELETE only passes a purge permit.
const V1 = `
CREATE TABLE records (
  id bigserial PRIMARY KEY,
  gateway text NOT NULL,
  seq bigint NOT NULL,
  at text NOT NULL,
  type text NOT NULL,
  ref text,
  payload text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (gateway, seq)
);
CREATE INDEX records_at ON records (at);
CREATE INDEX records_rare ON records (type, id) WHERE type NOT IN ('statement', 'statement_end');
CREATE INDEX records_statement_end ON records (ref) WHERE type = 'statement_end';
CREATE TABLE purge_permits (gateway text NOT NULL, up_to bigint NOT NULL);
CREATE FUNCTION sluice_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND EXISTS (
    SELECT 1 FROM purge_permits WHERE gateway = OLD.gateway AND OLD.seq <= up_to
  ) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'journal records are append-only';
END $$;
CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records
  FOR EACH ROW EXECUTE FUNCTION sluice_refuse_change();

CREATE TABLE accounts (
  name text PRIMARY KEY,
  groups text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'revoked')),
  created_at text NOT NULL,
  updated_at text NOT NULL,
  expires_at text,
  verifiers text NOT NULL
);

CREATE TABLE approvals (
  id text PRIMARY KEY,
  gateway text NOT NULL,
  state text NOT NULL,
  request jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_updated ON approvals (updated_at);

CREATE TABLE grants (
  id text PRIMARY KEY,
  grant_record jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grants_updated ON grants (updated_at);

CREATE TABLE control_commands (
  id bigserial PRIMARY KEY,
  gateway text NOT NULL,
  command jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  result jsonb
);
CREATE INDEX control_commands_open ON control_commands (gateway, id) WHERE done_at IS NULL;

CREATE TABLE gateways (
  id text PRIMARY KEY,
  seen_at timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  sessions jsonb NOT NULL DEFAULT '[]'
);
`;

const MIGRATIONS: readonly string[] = [V1];

export interface MigrateResult {
  readonly from: number;
  readonly to: number;
}

/**
 * Creates or upgrades the store's schema to STORE_SCHEMA_VERSION, each step in a transaction
 * of its own; refuses a database that is not a Sluice store or is newer than this Sluice.
 */
export async function migrateStore(client: pg.Client): Promise<MigrateResult> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
  try {
    const from = await storeSchemaVersion(client, { forMigration: true });
    for (let version = from + 1; version <= STORE_SCHEMA_VERSION; version++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[version - 1] as string);
        if (version === 1) await client.query('CREATE TABLE sluice_schema (version integer NOT NULL)');
        await client.query('DELETE FROM sluice_schema');
        await client.query('INSERT INTO sluice_schema (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    return { from, to: STORE_SCHEMA_VERSION };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]).catch(() => undefined);
  }
}

/** Throws JournalError 'corrupt' unless the store's schema is the one this Sluice uses. */
export async function checkStoreSchema(client: pg.Client): Promise<void> {
  const version = await storeSchemaVersion(client, { forMigration: false });
  if (version < STORE_SCHEMA_VERSION) {
    throw new JournalError(
      'corrupt',
      `sluice: the shared store has schema version ${version}, this Sluice needs ${STORE_SCHEMA_VERSION}: run \`sluice store migrate\``,
    );
  }
}

async function storeSchemaVersion(client: pg.Client, options: { forMigration: boolean }): Promise<number> {
  const found = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_name IN ('sluice_schema', 'records')`,
  );
  const names = new Set(found.rows.map((row: { name: string }) => row.name));
  if (!names.has('sluice_schema')) {
    if (names.has('records')) {
      throw new JournalError(
        'corrupt',
        'sluice: the shared store holds a records table but is not a Sluice store',
      );
    }
    return 0;
  }
  const row = await client.query<{ version: number }>('SELECT version FROM sluice_schema');
  const version = row.rows[0]?.version ?? 0;
  if (version > STORE_SCHEMA_VERSION) {
    throw new JournalError(
      'corrupt',
      `sluice: the shared store has schema version ${version}; this version of Sluice reads up to ${STORE_SCHEMA_VERSION}`,
    );
  }
  if (!options.forMigration && version === 0) return 0;
  return version;
}
