import type { SluiceConfig } from '@sluice/config';
import type { Journal } from '@sluice/journal';
import { EventStats } from './event-stats.js';
import { findingsOf } from './findings.js';
import type { Period } from './period.js';
import type { ReportContext, ReportSettings } from './report-context.js';
import type { Finding, ReferencedRecord, Report } from './report-types.js';
import { accountManagement, identification } from './sections-access.js';
import { auditEvents, auditProtection, auditRetention, auditReview } from './sections-audit.js';
import { boundaryProtection } from './sections-boundary.js';
import { asRecord, ranked, StatementStats } from './statement-stats.js';

export interface ReportOptions {
  readonly period: Period;
  /** Shown in the report; the journal is read through `journal`. */
  readonly journalPath: string;
  readonly settings?: ReportSettings;
  /** Active accounts without a sign-in for this many days are reported (AC-2); 90 by default. */
  readonly unusedDays?: number;
  readonly now?: Date;
}

/**
 * Reads the journal once for the period (statements, then the other records), verifies the
 * whole chain, and turns what it found into per-control sections and findings.
 */
export function buildReport(journal: Journal, options: ReportOptions): Report {
  const { period } = options;
  const now = options.now ?? new Date();
  const statements = new StatementStats();
  for (const record of journal.statements({ since: period.from, until: period.to })) statements.add(record);
  const events = new EventStats();
  let first: number | null = null;
  let last: number | null = null;
  for (const entry of journal.records.otherRecords(period)) {
    events.add(entry);
    first ??= entry.seq;
    last = entry.seq;
  }
  const accountRecords = new Map<string, number>();
  for (const event of journal.accountEventsSince(0)) accountRecords.set(event.account, event.seq);
  const context: ReportContext = {
    period,
    now,
    unusedDays: options.unusedDays ?? 90,
    settings: options.settings,
    statements,
    events,
    accounts: journal.listAccounts(),
    accountRecords,
    extent: journal.records.extent(),
    verify: journal.verify(),
    recordsByType: journal.records.countByType(period),
    seqRange: seqRange(first, last, statements),
  };
  const recordsByType = asRecord(context.recordsByType);
  const findings = findingsOf(context);
  return {
    title: 'Sluice audit evidence',
    generatedAt: now.toISOString(),
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    journal: {
      path: options.journalPath,
      records: context.extent.records,
      oldest: context.extent.oldest?.at ?? null,
      newest: context.extent.newest?.at ?? null,
    },
    chain: {
      ok: context.verify.ok,
      checked: context.verify.checked,
      problems: context.verify.problems.slice(0, 100),
      problemsInPeriod: context.seqRange
        ? context.verify.problems.filter(
            (p) => p.seq >= (context.seqRange?.first ?? 0) && p.seq <= (context.seqRange?.last ?? 0),
          ).length
        : 0,
      headSeq: context.verify.headSeq,
      headHash: context.verify.headHash,
      purgedThrough: context.verify.purgedThrough,
    },
    findings,
    counts: {
      recordsByType,
      statements: statements.total,
      statementsByDecision: { ...statements.byDecision },
      statementsByKind: asRecord(statements.byKind),
      signInsByMethod: asRecord(events.signInsByMethod),
      failedSignIns: events.failedSignIns,
      failedSignInsByCause: asRecord(events.failuresByCause),
      accountEvents: events.accountEvents.length,
      grantEvents: events.grantEvents.length,
      approvalRequests: events.approvals.size,
      adminCalls: events.adminCalls.length,
      purges: events.purges.length,
    },
    charts: {
      days: statements.days(period.from, period.to),
      topIdentities: ranked(statements.byIdentity, 10).map(([identity, count]) => ({
        identity,
        statements: count,
      })),
    },
    sections: [
      accountManagement(context),
      auditEvents(context),
      auditReview(context),
      auditProtection(context),
      auditRetention(context),
      identification(context),
      boundaryProtection(context),
    ],
    referencedRecords: referencedRecords(journal, findings),
  };
}

/** Each record a finding names, read by its seq (a few dozen at most). */
function referencedRecords(journal: Journal, findings: readonly Finding[]): ReferencedRecord[] {
  const seqs = [...new Set(findings.flatMap((finding) => finding.records))].sort((a, b) => a - b);
  return seqs.flatMap((seq) => {
    const entry = journal.records.after(seq - 1, 1)[0];
    if (entry?.seq !== seq) return [];
    const text = JSON.stringify(entry.payload);
    return [
      { seq, at: entry.at, type: entry.type, summary: text.length > 240 ? `${text.slice(0, 237)}...` : text },
    ];
  });
}

function seqRange(
  first: number | null,
  last: number | null,
  statements: StatementStats,
): { first: number; last: number } | null {
  const ids = [statements.firstId, statements.lastId, first, last].filter((n): n is number => n !== null);
  if (ids.length === 0) return null;
  return { first: Math.min(...ids), last: Math.max(...ids) };
}

/** What a report says about the configuration: retention, and each connection's policy. */
export function settingsFromConfig(config: SluiceConfig): ReportSettings {
  return {
    retentionMs: config.journal.retentionMs,
    connections: config.connections.map((connection) => {
      const policy = connection.policy ? config.policies.get(connection.policy) : undefined;
      return {
        name: connection.name,
        protocol: connection.protocol,
        policy: policy?.name ?? 'default (strict, allow)',
        guardrails: policy?.guardrails ?? 'strict',
        rules: (policy?.rules ?? []).map((rule) => ({ name: rule.name, action: rule.action })),
        default: policy?.default ?? 'allow',
        maskedColumns: policy?.masking?.columns.length ?? 0,
      };
    }),
  };
}
