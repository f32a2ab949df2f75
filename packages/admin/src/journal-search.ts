import {
  DECISIONS,
  type Decision,
  type Journal,
  type StatementQuery,
  type StatementRecord,
} from '@sluice/journal';
import { AdminError } from './errors.js';

/** The journal search's query string: the store filters what it can, the rest is applied while paging. */
export interface JournalSearch {
  readonly identity?: string;
  readonly group?: string;
  readonly connection?: string;
  readonly decision?: string;
  readonly kind?: string;
  readonly table?: string;
  readonly text?: string;
  readonly since?: string;
  readonly until?: string;
  readonly before?: number;
  readonly limit?: number;
}

export interface JournalPage {
  readonly records: readonly StatementRecord[];
  /** Pass as `before` for the next (older) page; null when this is the last. */
  readonly next_before: number | null;
  readonly scanned: number;
}

/**
 * Newest first, `limit` at a time. The journal reads oldest first, so this is a bounded scan:
 * only the newest `limit + 1` matches are kept while the whole range is read.
 */
export function searchStatements(journal: Journal, search: JournalSearch): JournalPage {
  const limit = search.limit ?? 50;
  const until = timeOf(search.until, 'until');
  const query = storeQuery(search);
  const matches = predicate(search, until);
  const newest: StatementRecord[] = [];
  let scanned = 0;
  for (const record of journal.statements(query)) {
    if (search.before !== undefined && record.id >= search.before) break;
    scanned += 1;
    if (!matches(record)) continue;
    newest.push(record);
    if (newest.length > limit + 1) newest.shift();
  }
  const more = newest.length > limit;
  const page = newest.slice(more ? 1 : 0).reverse();
  return { records: page, next_before: more ? (page.at(-1)?.id ?? null) : null, scanned };
}

function storeQuery(search: JournalSearch): StatementQuery {
  if (search.decision && !DECISIONS.includes(search.decision as Decision)) {
    throw new AdminError(400, `"${search.decision}" is not a decision (${DECISIONS.join(', ')})`);
  }
  const since = timeOf(search.since, 'since');
  return {
    ...(since ? { since } : {}),
    ...(search.identity ? { identity: search.identity } : {}),
    ...(search.connection ? { connection: search.connection } : {}),
    ...(search.decision ? { decision: search.decision as Decision } : {}),
  };
}

function predicate(search: JournalSearch, until: Date | undefined): (record: StatementRecord) => boolean {
  const text = search.text?.toLowerCase();
  const table = search.table?.toLowerCase();
  const kind = search.kind?.toLowerCase();
  const untilIso = until?.toISOString();
  return (record) =>
    (!search.group || record.groups.includes(search.group)) &&
    (!kind || record.kind?.toLowerCase() === kind) &&
    (!table ||
      record.tables.some(
        (each) => each.toLowerCase() === table || each.toLowerCase().endsWith(`.${table}`),
      )) &&
    (!text || record.statement.toLowerCase().includes(text)) &&
    (!untilIso || record.time < untilIso);
}

function timeOf(value: string | undefined, name: string): Date | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new AdminError(400, `${name}: "${value}" is not a time`);
  return time;
}
