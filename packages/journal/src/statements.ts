import type Database from 'better-sqlite3';
import {
  type JsonObject,
  nullableNumberField,
  nullableParameterListField,
  nullableTextField,
  oneOfField,
  parseObject,
  textField,
  textListField,
} from './payload-fields.js';
import { hasChainColumns } from './schema.js';
import { firstSeqAtOrAfter, lastSeqBefore } from './time-bounds.js';
import {
  DECISIONS,
  type RecordedRows,
  type StatementOutcome,
  type StatementQuery,
  type StatementRecord,
  type StatementStart,
} from './types.js';

/**
 * The `statement` record's payload uses the export's field names, so an exported record is the
 * stored one joined with its outcome.
 */
export function statementPayload(statement: StatementStart): string {
  return JSON.stringify({
    session: statement.sessionId,
    identity: statement.identity,
    groups: statement.groups,
    connection: statement.connection,
    protocol: statement.protocol,
    client_address: statement.clientAddress,
    ...(statement.clientName ? { client_name: statement.clientName } : {}),
    statement: statement.text,
    parameters: statement.parameters,
    kind: statement.kind,
    tables: statement.tables,
    decision: statement.decision,
    rule: statement.rule,
    reason: statement.reason,
    approver: statement.approver,
    masked_columns: statement.maskedColumns,
  });
}

export function outcomePayload(outcome: StatementOutcome): string {
  return JSON.stringify({
    rows: outcome.rows,
    duration_ms: outcome.durationMs,
    error: outcome.error,
    ...(outcome.maskedColumns?.length ? { masked_columns: outcome.maskedColumns } : {}),
    ...(outcome.detectorMatches ? { detector_matches: outcome.detectorMatches } : {}),
    ...(outcome.recordedRows ? { recorded_rows: outcome.recordedRows } : {}),
  });
}

/** The record's masked columns: those known before it ran, then those its results revealed. */
function maskedColumnsOf(start: JsonObject, outcome: JsonObject | null, where: string): string[] {
  const known = textListField(start, 'masked_columns', where);
  if (outcome === null || !('masked_columns' in outcome)) return known;
  return [...new Set([...known, ...textListField(outcome, 'masked_columns', `outcome of ${where}`)])];
}

interface StatementRow {
  readonly seq: number;
  readonly at: string;
  readonly payload: string;
  readonly hash: string;
  readonly gateway: string | null;
  readonly outcome: string | null;
}

interface PageParameters {
  readonly after: number;
  readonly upTo: number;
  readonly pageSize: number;
  readonly since: string | null;
  readonly until: string | null;
  readonly session: string | null;
  readonly identity: string | null;
  readonly connection: string | null;
  readonly decision: string | null;
}

const PAGE_SIZE = 1000;

// A range read in seq order, each statement's outcome found through the partial index on
// statement_end refs. The first statement_end wins: a repeated completion cannot duplicate a
// statement. An outcome names its statement by its seq in its gateway's chain, which in a
// replica of a shared store is `chain_seq` (`seq` is the store's order there).
const statementsSql = (outcomeJoin: string, gatewayColumn: string) => `
SELECT s.seq, s.at, s.payload, s.hash, ${gatewayColumn},
  (SELECT e.payload FROM records e
   WHERE e.type = 'statement_end' AND ${outcomeJoin} ORDER BY e.seq LIMIT 1) AS outcome
FROM records s
WHERE s.seq > @after AND s.seq <= @upTo AND s.type = 'statement'
  AND (@since IS NULL OR s.at >= @since)
  AND (@until IS NULL OR s.at < @until)
  AND (@session IS NULL OR s.ref = @session)
  AND (@identity IS NULL OR json_extract(s.payload, '$.identity') = @identity)
  AND (@connection IS NULL OR json_extract(s.payload, '$.connection') = @connection)
  AND (@decision IS NULL OR json_extract(s.payload, '$.decision') = @decision)
ORDER BY s.seq
LIMIT @pageSize`;

/**
 * The statements in the journal when this is called, oldest first, read a page at a time:
 * memory stays bounded on a large journal, and no query is left open between pages, so the same
 * connection can keep appending while a slow consumer (an export written to a socket) works
 * through the records. Each statement carries the outcome known when its page was read.
 */
export function readStatements(
  db: Database.Database,
  query: StatementQuery = {},
): Generator<StatementRecord> {
  const head = db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM records').pluck().get() ?? 0;
  // A period is a seq range too (bisected): a report on the last day of a large journal reads
  // that day's records only.
  const since = query.since?.toISOString();
  const first = since === undefined ? 1 : firstSeqAtOrAfter(db, since);
  const upTo = query.until ? Math.min(head, lastSeqBefore(db, query.until.toISOString())) : head;
  const chains = hasChainColumns(db);
  const selectPage = db.prepare<[PageParameters], StatementRow>(
    statementsSql(
      chains
        ? 'e.ref = CAST(coalesce(s.chain_seq, s.seq) AS TEXT) AND e.gateway IS s.gateway'
        : 'e.ref = CAST(s.seq AS TEXT)',
      chains ? 's.gateway' : 'NULL AS gateway',
    ),
  );
  if (first === null) return readPages(selectPage, { ...noFilters, upTo: 0 }, 0);
  return readPages(
    selectPage,
    {
      upTo,
      since: query.since?.toISOString() ?? null,
      until: query.until?.toISOString() ?? null,
      session: query.session ?? null,
      identity: query.identity ?? null,
      connection: query.connection ?? null,
      decision: query.decision ?? null,
    },
    first - 1,
  );
}

const noFilters = {
  since: null,
  until: null,
  session: null,
  identity: null,
  connection: null,
  decision: null,
};

function* readPages(
  selectPage: Database.Statement<[PageParameters], StatementRow>,
  filters: Omit<PageParameters, 'after' | 'pageSize'>,
  start: number,
): Generator<StatementRecord> {
  let after = start;
  for (;;) {
    const page = selectPage.all({ ...filters, after, pageSize: PAGE_SIZE });
    for (const row of page) yield toStatementRecord(row);
    const last = page.at(-1);
    if (!last || page.length < PAGE_SIZE) return;
    after = last.seq;
  }
}

function toStatementRecord(row: StatementRow): StatementRecord {
  const where = `record ${row.seq}`;
  const start = parseObject(row.payload, where);
  const outcome = row.outcome === null ? null : parseObject(row.outcome, `outcome of ${where}`);
  return {
    id: row.seq,
    ...(row.gateway === null ? {} : { gateway: row.gateway }),
    time: row.at,
    session: textField(start, 'session', where),
    identity: textField(start, 'identity', where),
    groups: textListField(start, 'groups', where),
    connection: textField(start, 'connection', where),
    protocol: textField(start, 'protocol', where),
    client_address: textField(start, 'client_address', where),
    statement: textField(start, 'statement', where),
    parameters: nullableParameterListField(start, 'parameters', where),
    kind: nullableTextField(start, 'kind', where),
    tables: textListField(start, 'tables', where),
    decision: oneOfField(start, 'decision', DECISIONS, where),
    rule: nullableTextField(start, 'rule', where),
    reason: nullableTextField(start, 'reason', where),
    approver: nullableTextField(start, 'approver', where),
    masked_columns: maskedColumnsOf(start, outcome, where),
    rows: outcome && nullableNumberField(outcome, 'rows', where),
    duration_ms: outcome && nullableNumberField(outcome, 'duration_ms', where),
    error: outcome && nullableTextField(outcome, 'error', where),
    completed: outcome !== null,
    hash: row.hash,
    ...recordedRowsOf(outcome),
  };
}

/** Recorded rows are Sluice's own output; a malformed value is left out rather than trusted. */
function recordedRowsOf(outcome: JsonObject | null): { recorded_rows?: RecordedRows } {
  const recorded = outcome?.recorded_rows;
  if (typeof recorded !== 'object' || recorded === null || Array.isArray(recorded)) return {};
  const { columns, rows } = recorded as Record<string, unknown>;
  if (!Array.isArray(columns) || !Array.isArray(rows)) return {};
  return {
    recorded_rows: {
      columns: columns.map(String),
      rows: rows
        .filter(Array.isArray)
        .map((row: unknown[]) => row.map((value) => (value === null ? null : String(value)))),
    },
  };
}
