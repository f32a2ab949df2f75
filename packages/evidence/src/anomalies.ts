import type { StatementStats } from './statement-stats.js';

export interface Anomaly {
  readonly identity: string;
  readonly day: string;
  readonly measure: 'statements' | 'rows read';
  readonly value: number;
  readonly median: number;
  readonly records: readonly number[];
}

/** A day is anomalous when it is this many times the identity's own median day… */
const FACTOR = 5;
/** …over at least this many active days, and above a floor that ignores tiny numbers. */
const MIN_DAYS = 3;
const FLOOR = { statements: 50, 'rows read': 1000 } as const;

/** Days on which an identity's statements or rows read far exceed its own median day. */
export function findAnomalies(stats: StatementStats): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [identity, days] of stats.perIdentityDay) {
    if (days.size < MIN_DAYS) continue;
    for (const measure of ['statements', 'rows read'] as const) {
      const value = (cell: { statements: number; rows: number }) =>
        measure === 'statements' ? cell.statements : cell.rows;
      const median = medianOf([...days.values()].map(value));
      for (const [day, cell] of days) {
        const observed = value(cell);
        if (observed >= FLOOR[measure] && observed > FACTOR * Math.max(median, 1)) {
          anomalies.push({ identity, day, measure, value: observed, median, records: cell.seqs });
        }
      }
    }
  }
  return anomalies.sort((a, b) => a.day.localeCompare(b.day) || a.identity.localeCompare(b.identity));
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
