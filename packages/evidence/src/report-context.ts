import type { Account, JournalExtent, VerifyResult } from '@sluice/journal';
import type { EventStats } from './event-stats.js';
import type { Period } from './period.js';
import type { StatementStats } from './statement-stats.js';

/** The configuration a report describes; absent parts are reported as unknown, not guessed. */
export interface ReportSettings {
  readonly retentionMs: number | null;
  readonly connections: readonly {
    readonly name: string;
    readonly protocol: string;
    readonly policy: string;
    readonly guardrails: string;
    readonly rules: readonly { readonly name: string; readonly action: string }[];
    readonly default: string;
    readonly maskedColumns: number;
  }[];
}

/** Everything the sections and findings are computed from. */
export interface ReportContext {
  readonly period: Period;
  readonly now: Date;
  readonly unusedDays: number;
  readonly settings: ReportSettings | undefined;
  readonly statements: StatementStats;
  readonly events: EventStats;
  readonly accounts: readonly Account[];
  /** Seq of each account's newest account record, to link findings to. */
  readonly accountRecords: ReadonlyMap<string, number>;
  readonly extent: JournalExtent;
  readonly verify: VerifyResult;
  readonly recordsByType: ReadonlyMap<string, number>;
  /** The first and last seq of the period, for chain problems inside it. */
  readonly seqRange: { readonly first: number; readonly last: number } | null;
}

export const DAY_MS = 86_400_000;

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 2 * DAY_MS) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / DAY_MS)} d`;
}
