import { DECISIONS, type Decision, type StatementRecord } from '@sluice/journal';
import type { DecisionCounts } from './report-types.js';

export function zeroDecisions(): DecisionCounts {
  return { allowed: 0, blocked: 0, approved: 0, denied: 0, expired: 0 };
}

interface IdentityDay {
  statements: number;
  rows: number;
  readonly seqs: number[];
}

/** What one pass over a period's statements gathers; memory grows with identities and days, not statements. */
export class StatementStats {
  total = 0;
  readonly byDecision = zeroDecisions();
  readonly byKind = new Map<string, number>();
  readonly byDay = new Map<string, DecisionCounts>();
  readonly byIdentity = new Map<string, number>();
  readonly byRule = new Map<string, number>();
  readonly blockedByRule = new Map<string, number>();
  /** Blocked, denied and expired statements: the first ones of each, for the AU-6 tables. */
  readonly refused = new Map<Decision, StatementRecord[]>();
  readonly refusedCount = zeroDecisions();
  /** Identity + statement text → seqs of its blocks. */
  readonly repeatedBlocks = new Map<string, { identity: string; text: string; seqs: number[] }>();
  /** Identity → day → statements and rows, for anomalies against the identity's own median. */
  readonly perIdentityDay = new Map<string, Map<string, IdentityDay>>();
  example: StatementRecord | undefined;
  firstId: number | null = null;
  lastId: number | null = null;

  add(record: StatementRecord): void {
    this.total += 1;
    this.firstId ??= record.id;
    this.lastId = record.id;
    const day = record.time.slice(0, 10);
    this.byDecision[record.decision] += 1;
    increment(this.byKind, record.kind ?? 'unknown');
    const dayCounts = this.byDay.get(day) ?? zeroDecisions();
    dayCounts[record.decision] += 1;
    this.byDay.set(day, dayCounts);
    increment(this.byIdentity, record.identity);
    if (record.rule) increment(this.byRule, record.rule);
    if (record.decision !== 'allowed' && record.decision !== 'approved') this.addRefused(record);
    const days = this.perIdentityDay.get(record.identity) ?? new Map<string, IdentityDay>();
    this.perIdentityDay.set(record.identity, days);
    const cell = days.get(day) ?? { statements: 0, rows: 0, seqs: [] };
    cell.statements += 1;
    if (record.kind === 'select') cell.rows += record.rows ?? 0;
    if (cell.seqs.length < 5) cell.seqs.push(record.id);
    days.set(day, cell);
    // The example shows every field: prefer a completed statement with masked columns.
    if (
      !this.example ||
      (!this.example.masked_columns.length && record.completed && record.masked_columns.length)
    ) {
      this.example = record;
    }
  }

  private addRefused(record: StatementRecord): void {
    this.refusedCount[record.decision] += 1;
    const list = this.refused.get(record.decision) ?? [];
    if (list.length < 50) list.push(record);
    this.refused.set(record.decision, list);
    if (record.decision !== 'blocked') return;
    increment(this.blockedByRule, record.rule ?? '(guardrail)');
    const key = `${record.identity}\u0000${record.statement}`;
    const repeat = this.repeatedBlocks.get(key) ?? {
      identity: record.identity,
      text: record.statement,
      seqs: [],
    };
    repeat.seqs.push(record.id);
    this.repeatedBlocks.set(key, repeat);
  }

  /** Days of the period with their counts, oldest first, every day present (zeros too). */
  days(from: Date, to: Date): { day: string; decisions: DecisionCounts }[] {
    const days: { day: string; decisions: DecisionCounts }[] = [];
    const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
    for (; cursor < to; cursor.setUTCDate(cursor.getUTCDate() + 1)) {
      const day = cursor.toISOString().slice(0, 10);
      days.push({ day, decisions: this.byDay.get(day) ?? zeroDecisions() });
    }
    return days;
  }
}

export function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Entries by count, largest first, then by key. */
export function ranked(
  map: ReadonlyMap<string, number>,
  limit = Number.POSITIVE_INFINITY,
): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
}

export function asRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}

export { DECISIONS };
