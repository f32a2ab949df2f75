import { parseDuration } from '@sluice/config';
import { EvidenceError } from './errors.js';

/** A report's period: `from` inclusive, `to` exclusive. */
export interface Period {
  readonly from: Date;
  readonly to: Date;
}

export interface PeriodOptions {
  /** A duration back from `now` (30d), or an ISO date. */
  readonly since?: string;
  readonly from?: string;
  readonly to?: string;
}

/** `--since 30d`, or `--from/--to` (ISO dates); 30 days up to now by default. */
export function parsePeriod(options: PeriodOptions, now = new Date()): Period {
  if (options.since !== undefined && options.from !== undefined) {
    throw new EvidenceError('invalid-period', 'give --since or --from, not both');
  }
  const to = options.to === undefined ? now : parseInstant(options.to, '--to', now);
  const from =
    options.from !== undefined
      ? parseInstant(options.from, '--from', now)
      : parseInstant(options.since ?? '30d', '--since', now);
  if (from >= to)
    throw new EvidenceError(
      'invalid-period',
      `the period is empty: ${from.toISOString()} is not before ${to.toISOString()}`,
    );
  return { from, to };
}

/** A duration back from `now` or a date; a bare date (2026-12-01) means midnight UTC. */
export function parseInstant(text: string, option: string, now = new Date()): Date {
  const ms = parseDuration(text);
  if (ms !== undefined) return new Date(now.getTime() - ms);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new EvidenceError('invalid-period', `${option}: "${text}" is neither a duration (30d) nor a date`);
  }
  return date;
}
