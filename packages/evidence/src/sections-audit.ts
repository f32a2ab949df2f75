import type { StatementRecord } from '@sluice/journal';
import { findAnomalies } from './anomalies.js';
import { DAY_MS, formatDuration, type ReportContext } from './report-context.js';
import type { ControlSection, ReportTable } from './report-types.js';
import { DECISIONS, ranked } from './statement-stats.js';

const RECORD_FIELDS =
  'id, time, session, identity, groups, connection, protocol, client_address, statement, parameters (masked), kind, tables, decision, rule, reason, approver, masked_columns, rows, duration_ms, error, hash';

/** AU-2 and AU-3: what is journalled, what a record holds, counts, one record in full. */
export function auditEvents(context: ReportContext): ControlSection {
  const { statements } = context;
  return {
    control: 'AU-2 / AU-3',
    title: 'Event logging and content of audit records',
    enforced: `Every statement is journalled before it is forwarded and its outcome after; sessions (start, end, reason), sign-ins and failed sign-ins, approvals, grants, account changes, admin calls and purges are journalled too. A statement record holds: ${RECORD_FIELDS}.`,
    facts: [
      {
        label: 'Records in the period',
        value: [...context.recordsByType.values()].reduce((a, b) => a + b, 0),
      },
      { label: 'Statements in the period', value: statements.total },
    ],
    tables: [
      { title: 'Records by type', columns: ['Type', 'Records'], rows: ranked(context.recordsByType) },
      {
        title: 'Statements by decision',
        columns: ['Decision', 'Statements'],
        rows: DECISIONS.map((decision) => [decision, statements.byDecision[decision]]),
      },
      { title: 'Statements by kind', columns: ['Kind', 'Statements'], rows: ranked(statements.byKind) },
    ],
    ...(statements.example ? { example: statements.example } : {}),
  };
}

/** AU-6: refused statements, approvals, top rules and identities, anomalies, repeated blocks. */
export function auditReview(context: ReportContext): ControlSection {
  const { statements, events } = context;
  const approvals = [...events.approvals.values()];
  const decided = approvals.filter((a) => a.decidedAt !== null);
  const waits = decided.map((a) => new Date(a.decidedAt ?? 0).getTime() - new Date(a.requestedAt).getTime());
  const anomalies = findAnomalies(statements);
  const repeated = [...statements.repeatedBlocks.values()].filter((r) => r.seqs.length >= 3);
  return {
    control: 'AU-6',
    title: 'Audit record review, analysis and reporting',
    enforced:
      'Sluice judges every statement against the guardrails and rules, blocks what policy forbids, holds risky statements for a named approver, and offers the journal for review (`sluice audit search`, this report).',
    facts: [
      { label: 'Blocked statements', value: statements.refusedCount.blocked },
      { label: 'Denied statements', value: statements.refusedCount.denied },
      { label: 'Expired statements (approval timed out)', value: statements.refusedCount.expired },
      { label: 'Approval requests', value: approvals.length },
      { label: 'Median time to decision', value: waits.length ? formatDuration(median(waits)) : '-' },
      { label: 'Anomalies', value: anomalies.length },
      { label: 'Blocked statements repeated 3 times or more', value: repeated.length },
    ],
    tables: [
      refusedTable(
        'Blocked statements',
        statements.refused.get('blocked') ?? [],
        statements.refusedCount.blocked,
      ),
      refusedTable(
        'Denied statements',
        statements.refused.get('denied') ?? [],
        statements.refusedCount.denied,
      ),
      refusedTable(
        'Expired statements',
        statements.refused.get('expired') ?? [],
        statements.refusedCount.expired,
      ),
      {
        title: 'Approvals',
        columns: [
          'Record',
          'Request',
          'Identity',
          'Connection',
          'Rule',
          'State',
          'Approvers',
          'Time to decision',
        ],
        rows: approvals.map((a) => [
          `#${a.requestedSeq}`,
          a.id,
          a.identity,
          a.connection,
          a.rule,
          a.state,
          a.approvers.join(', ') || '-',
          a.decidedAt
            ? formatDuration(new Date(a.decidedAt).getTime() - new Date(a.requestedAt).getTime())
            : '-',
        ]),
      },
      { title: 'Top rules fired', columns: ['Rule', 'Statements'], rows: ranked(statements.byRule, 10) },
      {
        title: 'Top identities',
        columns: ['Identity', 'Statements'],
        rows: ranked(statements.byIdentity, 10),
      },
      {
        title: 'Anomalies (a day far above the identity’s own median day)',
        columns: ['Day', 'Identity', 'Measure', 'Value', 'Median', 'Records'],
        rows: anomalies.map((a) => [
          a.day,
          a.identity,
          a.measure,
          a.value,
          a.median,
          a.records.map((s) => `#${s}`).join(' '),
        ]),
      },
      {
        title: 'Blocked statements repeated',
        columns: ['Identity', 'Statement', 'Times', 'Records'],
        rows: repeated.map((r) => [
          r.identity,
          oneLine(r.text),
          r.seqs.length,
          r.seqs
            .slice(0, 5)
            .map((s) => `#${s}`)
            .join(' '),
        ]),
      },
    ],
  };
}

/** AU-9: the hash chain over the period and the whole file, and the head to keep elsewhere. */
export function auditProtection(context: ReportContext): ControlSection {
  const { verify } = context;
  const range = context.seqRange;
  const inPeriod = range ? verify.problems.filter((p) => p.seq >= range.first && p.seq <= range.last) : [];
  return {
    control: 'AU-9',
    title: 'Protection of audit information',
    enforced:
      'Records form a SHA-256 hash chain (each hash covers the seq, the previous hash and the content); triggers refuse UPDATE and DELETE, and only a purge deletes, leaving a checkpoint record. `sluice audit anchor` signs the chain head with Ed25519 so that a rewrite of the whole chain or a deletion of the newest records is detected against the anchor.',
    facts: [
      {
        label: 'Chain over the whole file',
        value: verify.ok ? 'intact' : `BROKEN (${verify.problems.length} problem(s))`,
      },
      {
        label: 'Chain within the period',
        value: inPeriod.length === 0 ? 'intact' : `BROKEN (${inPeriod.length} problem(s))`,
      },
      { label: 'Records checked', value: verify.checked },
      { label: 'Chain head (record)', value: verify.headSeq ?? '-' },
      { label: 'Chain head hash (anchor it elsewhere)', value: verify.headHash ?? '-' },
      { label: 'Purged through record', value: verify.purgedThrough ?? 'none' },
    ],
    tables: [
      {
        title: 'Chain problems',
        columns: ['Record', 'Problem'],
        rows: verify.problems.slice(0, 100).map((p) => [`#${p.seq}`, p.message]),
        ...(verify.problems.length > 100 ? { omitted: verify.problems.length - 100 } : {}),
      },
    ],
  };
}

/** AU-11: retention configured against the oldest record, purges done. */
export function auditRetention(context: ReportContext): ControlSection {
  const { extent, settings, now, events } = context;
  const oldestAge = extent.oldest ? now.getTime() - new Date(extent.oldest.at).getTime() : null;
  const retention = settings?.retentionMs ?? null;
  return {
    control: 'AU-11',
    title: 'Audit record retention',
    enforced:
      'The running gateway deletes records older than `journal.retention` once a day, and `sluice audit purge --older-than D` does so on demand; each purge journals a checkpoint with the hash of the last deleted record, so what remains still verifies.',
    facts: [
      {
        label: 'Retention configured',
        value: retention === null ? 'unknown (no configuration given)' : formatDuration(retention),
      },
      { label: 'Oldest record', value: extent.oldest ? `#${extent.oldest.seq} at ${extent.oldest.at}` : '-' },
      { label: 'Age of the oldest record', value: oldestAge === null ? '-' : formatDuration(oldestAge) },
      {
        label: 'Oldest record within retention',
        value:
          retention === null || oldestAge === null ? '-' : oldestAge <= retention + DAY_MS ? 'yes' : 'no',
      },
      { label: 'Records in the file', value: extent.records },
      { label: 'Purges in the period', value: events.purges.length },
    ],
    tables: [
      {
        title: 'Purges',
        columns: ['Record', 'Time', 'Records deleted', 'Seqs', 'Older than', 'Actor'],
        rows: events.purges.map((e) => [`#${e.seq}`, e.at, ...e.cells]),
      },
    ],
  };
}

function refusedTable(title: string, records: readonly StatementRecord[], total: number): ReportTable {
  return {
    title,
    columns: ['Record', 'Time', 'Identity', 'Connection', 'Rule', 'Reason', 'Statement'],
    rows: records.map((r) => [
      `#${r.id}`,
      r.time,
      r.identity,
      r.connection,
      r.rule ?? '-',
      r.reason ?? '-',
      oneLine(r.statement),
    ]),
    ...(total > records.length ? { omitted: total - records.length } : {}),
  };
}

export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
