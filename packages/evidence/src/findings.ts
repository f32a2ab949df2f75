import { findAnomalies } from './anomalies.js';
import { DAY_MS, type ReportContext } from './report-context.js';
import type { Finding, Severity } from './report-types.js';

/** Failed sign-ins of one user in the period from which a burst is reported. */
const BURST_FAILURES = 5;
const MAX_LINKS = 20;

/** The open items, most severe first, each with the records that show it. */
export function findingsOf(context: ReportContext): Finding[] {
  const findings: Finding[] = [];
  const add = (
    id: string,
    severity: Severity,
    control: string,
    title: string,
    detail: string,
    records: readonly number[],
  ) => findings.push({ id, severity, control, title, detail, records: records.slice(0, MAX_LINKS) });
  const { verify, events, statements, accounts, extent, now } = context;

  if (!verify.ok) {
    add(
      'chain-broken',
      'high',
      'AU-9',
      'The hash chain is broken',
      `${verify.problems.length} problem(s): records were edited, deleted or reordered outside Sluice.`,
      verify.problems.map((p) => p.seq),
    );
  }
  for (const connection of context.settings?.connections ?? []) {
    if (connection.guardrails === 'off') {
      add(
        `guardrails-off-${connection.name}`,
        'high',
        'SC-7',
        `Guardrails are off on connection "${connection.name}"`,
        `Policy "${connection.policy}" runs without guardrails: only its rules stand between callers and the database.`,
        [],
      );
    }
  }
  const expired = [...events.approvals.values()].filter((a) => a.state === 'expired');
  if (expired.length > 0) {
    add(
      'approvals-expired',
      'medium',
      'AU-6',
      `${expired.length} approval request(s) expired without a decision`,
      'Nobody decided in time; the statements were refused.',
      expired.map((a) => a.decisionSeq ?? a.requestedSeq),
    );
  }
  for (const [user, failures] of events.failuresByUser) {
    if (failures.count >= BURST_FAILURES) {
      add(
        `failed-logins-${user}`,
        'medium',
        'IA-2',
        `${failures.count} failed sign-ins for "${user}"`,
        `Causes: ${[...failures.causes].join(', ')}.`,
        failures.seqs,
      );
    }
  }
  if (events.lockedOutAttempts.length > 0) {
    add(
      'locked-out-attempts',
      'medium',
      'AC-2',
      'Revoked or expired identities still tried to connect',
      events.lockedOutAttempts
        .map((e) => e.cells[0])
        .filter(unique)
        .join(', '),
      events.lockedOutAttempts.map((e) => e.seq),
    );
  }
  const pastExpiry = accounts.filter(
    (a) => a.status === 'active' && a.expiresAt !== null && a.expiresAt <= now,
  );
  if (pastExpiry.length > 0) {
    add(
      'accounts-past-expiry',
      'medium',
      'AC-2',
      `${pastExpiry.length} service account(s) past their expiry are not revoked`,
      pastExpiry.map((a) => a.name).join(', '),
      pastExpiry.flatMap((a) => linkOf(context, a.name)),
    );
  }
  const never = accounts.filter((a) => a.status === 'active' && !extent.lastSignIn.has(a.name));
  if (never.length > 0) {
    add(
      'identities-never-used',
      'low',
      'AC-2',
      `${never.length} active service account(s) never used`,
      never.map((a) => a.name).join(', '),
      never.flatMap((a) => linkOf(context, a.name)),
    );
  }
  const unusedSince = now.getTime() - context.unusedDays * DAY_MS;
  const stale = accounts.filter((a) => {
    const last = extent.lastSignIn.get(a.name);
    return a.status === 'active' && last !== undefined && new Date(last).getTime() < unusedSince;
  });
  if (stale.length > 0) {
    add(
      'identities-unused',
      'low',
      'AC-2',
      `${stale.length} active service account(s) unused for ${context.unusedDays} days`,
      stale.map((a) => a.name).join(', '),
      stale.flatMap((a) => linkOf(context, a.name)),
    );
  }
  const repeated = [...statements.repeatedBlocks.values()].filter((r) => r.seqs.length >= 3);
  if (repeated.length > 0) {
    add(
      'blocked-repeated',
      'low',
      'AU-6',
      `${repeated.length} blocked statement(s) retried 3 times or more`,
      repeated.map((r) => `${r.identity} (${r.seqs.length}×)`).join(', '),
      repeated.flatMap((r) => r.seqs),
    );
  }
  const anomalies = findAnomalies(statements);
  if (anomalies.length > 0) {
    add(
      'anomalies',
      'low',
      'AU-6',
      `${anomalies.length} day(s) of unusual activity`,
      anomalies
        .map((a) => `${a.identity} on ${a.day}: ${a.value} ${a.measure} (median ${a.median})`)
        .join('; '),
      anomalies.flatMap((a) => a.records),
    );
  }
  if (context.settings?.retentionMs && extent.oldest) {
    const age = now.getTime() - new Date(extent.oldest.at).getTime();
    if (age > context.settings.retentionMs + DAY_MS) {
      add(
        'retention-exceeded',
        'low',
        'AU-11',
        'Records are kept past the configured retention',
        'The daily purge has not run (the gateway was not running) or failed.',
        [extent.oldest.seq],
      );
    }
  }
  const order: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
  return findings.sort((a, b) => order[a.severity] - order[b.severity]);
}

function linkOf(context: ReportContext, account: string): number[] {
  const seq = context.accountRecords.get(account);
  return seq === undefined ? [] : [seq];
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}
