import type { Control } from '@sluice/control';
import type { Decision, Journal } from '@sluice/journal';

export interface OverviewJson {
  readonly since: string;
  /** One entry per hour from `since`, oldest first, counts by decision. */
  readonly hours: readonly { readonly hour: string; readonly counts: Partial<Record<Decision, number>> }[];
  readonly blocked_today: number;
  readonly denied_today: number;
  readonly pending_approvals: number;
  readonly live_sessions: number;
  readonly top_identities: readonly { readonly identity: string; readonly statements: number }[];
}

const HOUR_MS = 3_600_000;

/**
 * The last `hours` hours of statements, read once; "today" starts at `todayStart` (the viewer's
 * midnight, which only the viewer knows), or 24 hours ago.
 */
export function overviewOf(
  journal: Journal,
  control: Control,
  hours: number,
  todayStart?: Date,
): OverviewJson {
  const now = Date.now();
  const since = new Date(Math.floor((now - (hours - 1) * HOUR_MS) / HOUR_MS) * HOUR_MS);
  const today = todayStart ?? new Date(now - 24 * HOUR_MS);
  const from = new Date(Math.min(since.getTime(), today.getTime()));
  const buckets = Array.from({ length: hours }, (_, index) => ({
    hour: new Date(since.getTime() + index * HOUR_MS).toISOString(),
    counts: {} as Partial<Record<Decision, number>>,
  }));
  const identities = new Map<string, number>();
  let blockedToday = 0;
  let deniedToday = 0;
  for (const record of journal.statements({ since: from })) {
    const at = Date.parse(record.time);
    if (at >= today.getTime()) {
      if (record.decision === 'blocked') blockedToday += 1;
      if (record.decision === 'denied') deniedToday += 1;
    }
    const bucket = buckets[Math.floor((at - since.getTime()) / HOUR_MS)];
    if (!bucket) continue;
    bucket.counts[record.decision] = (bucket.counts[record.decision] ?? 0) + 1;
    identities.set(record.identity, (identities.get(record.identity) ?? 0) + 1);
  }
  return {
    since: since.toISOString(),
    hours: buckets,
    blocked_today: blockedToday,
    denied_today: deniedToday,
    pending_approvals: control.approvals.list({ state: 'pending' }).length,
    live_sessions: control.sessions.list().length,
    top_identities: [...identities]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([identity, statements]) => ({ identity, statements })),
  };
}
