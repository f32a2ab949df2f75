import type Database from 'better-sqlite3';
import { type EntryRow, entryColumns, toEntry } from './entries.js';
import { JournalError } from './errors.js';
import { firstSeqAtOrAfter, lastSeqBefore } from './time-bounds.js';
import type { Decision, JournalEntry } from './types.js';

/**
 * A journal search (`sluice audit search`, the admin API). Every field narrows the result; the
 * statement fields (decision, kind, table, group) imply `type: 'statement'`. Results are newest first,
 * a page at a time: pass the returned `next` as `before` for the following page.
 */
export interface RecordSearch {
  readonly identity?: string;
  readonly group?: string;
  readonly connection?: string;
  readonly decision?: Decision;
  /** Statement kind: select, insert, update, delete, ddl, … */
  readonly kind?: string;
  /** Record type: statement, session_start, sign_in_failed, approval, grant, account, admin, purge, … */
  readonly type?: string;
  /** A table a statement touched, as the journal names it (e.g. `public.orders` or `orders`). */
  readonly table?: string;
  /** Text anywhere in the record (statement text, reasons, names), case-insensitive. */
  readonly text?: string;
  readonly session?: string;
  readonly from?: Date;
  readonly to?: Date;
  /** Only records with a seq below this (paging). */
  readonly before?: number;
  /** Page size: 1 to 1,000, 50 by default. */
  readonly limit?: number;
}

export interface SearchPage {
  readonly records: readonly JournalEntry[];
  /** `before` for the next page; null when this page is the last. */
  readonly next: number | null;
}

export const MAX_SEARCH_LIMIT = 1000;

/** Builds one parameterised query; the literal `type = 'statement'` lets the partial indexes serve it. */
export function searchRecords(db: Database.Database, search: RecordSearch): SearchPage {
  const limit = search.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new JournalError('invalid-query', `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
  }
  const statementOnly =
    search.decision !== undefined || search.kind !== undefined || search.table !== undefined;
  const type = search.type ?? (statementOnly ? 'statement' : undefined);
  if (statementOnly && type !== 'statement') {
    throw new JournalError(
      'invalid-query',
      'decision, kind, table and group apply to statement records only',
    );
  }
  const where: string[] = [];
  const values: Record<string, string | number> = { limit: limit + 1 };
  // A literal type term, identical to the partial index's WHERE clause, lets SQLite use it.
  if (type === 'statement' || type === 'statement_end') where.push(`type = '${type}'`);
  else if (type !== undefined) {
    where.push(`type NOT IN ('statement', 'statement_end')`, 'type = @type');
    values.type = type;
  }
  // Payloads are JSON.stringify output: `"identity":"ci-bot"` appears as such in the text. A LIKE
  // on it skips most records without parsing them; json_extract then checks exactly.
  const field = (name: string, value: string | undefined): void => {
    if (value === undefined) return;
    // CASE keeps the order: SQLite may evaluate separate WHERE terms in any order.
    where.push(
      `CASE WHEN payload LIKE @${name}Like ESCAPE '\\' THEN json_extract(payload, '$.${name}') = @${name} ELSE 0 END`,
    );
    values[name] = value;
    values[`${name}Like`] = `%${likeEscaped(`"${name}":${JSON.stringify(value)}`)}%`;
  };
  field('identity', search.identity);
  field('connection', search.connection);
  field('decision', search.decision);
  field('kind', search.kind);
  if (search.session !== undefined) {
    where.push(`type IN ('statement', 'session_start', 'session_end')`, 'ref = @session');
    values.session = search.session;
  }
  const listItem = (name: string, column: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(
      `CASE WHEN payload LIKE @${name}Like ESCAPE '\\'
        THEN EXISTS (SELECT 1 FROM json_each(payload, '$.${column}') WHERE value = @${name}) ELSE 0 END`,
    );
    values[name] = value;
    values[`${name}Like`] = `%${likeEscaped(JSON.stringify(value))}%`;
  };
  listItem('group', 'groups', search.group);
  listItem('table', 'tables', search.table);
  if (search.text !== undefined) {
    // LIKE is case-insensitive for ASCII; % and _ in the text are matched literally.
    where.push(`payload LIKE @text ESCAPE '\\'`);
    values.text = `%${likeEscaped(search.text)}%`;
  }
  timeRange(db, search, where, values);
  if (search.before !== undefined) {
    where.push('seq < @before');
    values.before = search.before;
  }
  const sql = `SELECT ${entryColumns(db)} FROM records
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
  const rows = db.prepare<[Record<string, string | number>], EntryRow>(sql).all(values);
  const page = rows.slice(0, limit);
  return {
    records: page.map(toEntry),
    next: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
  };
}

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A time range becomes a seq range too (bisected, see time-bounds.ts), so the search reads only
 * that stretch of the table; the time terms stay, so the result is exact within it.
 */
function timeRange(
  db: Database.Database,
  search: RecordSearch,
  where: string[],
  values: Record<string, string | number>,
): void {
  if (search.from !== undefined) {
    values.from = search.from.toISOString();
    where.push('at >= @from', 'seq >= @fromSeq');
    values.fromSeq = firstSeqAtOrAfter(db, values.from) ?? Number.MAX_SAFE_INTEGER;
  }
  if (search.to !== undefined) {
    values.to = search.to.toISOString();
    where.push('at < @to', 'seq <= @toSeq');
    values.toSeq = lastSeqBefore(db, values.to);
  }
}
