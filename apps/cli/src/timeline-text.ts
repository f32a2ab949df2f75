import type { SessionTimeline, TimelineStatement } from '@sluice/journal';
import { table } from './output.js';

/** A session as a person reads it: who, then each statement with its decision, time, rows and data. */
export function timelineText(timeline: SessionTimeline): string {
  const lines: string[] = [];
  const details = timeline.started?.details ?? {};
  const startedAt = timeline.started ? Date.parse(timeline.started.at) : Number.NaN;
  lines.push(
    `session ${timeline.session}: ${String(details.identity ?? 'unknown identity')}` +
      ` on ${String(details.connection ?? '?')} (${String(details.protocol ?? '?')})` +
      ` from ${String(details.client_address ?? '?')}, signed in with ${String(details.auth_method ?? '?')}`,
  );
  if (timeline.started) lines.push(`started ${timeline.started.at}`);
  for (const statement of timeline.statements) {
    lines.push('', ...statementLines(statement, startedAt));
  }
  lines.push('');
  lines.push(
    timeline.ended ? `ended ${timeline.ended.at}: ${timeline.ended.reason}` : 'still open (no end recorded)',
  );
  return lines.join('\n');
}

function statementLines(statement: TimelineStatement, startedAt: number): string[] {
  const offset = Number.isFinite(startedAt)
    ? ` +${((Date.parse(statement.time) - startedAt) / 1000).toFixed(3)}s`
    : '';
  const lines = [`#${statement.id}${offset}  ${statement.statement}`];
  if (statement.parameters?.length) lines.push(`  parameters: ${JSON.stringify(statement.parameters)}`);
  lines.push(`  ${decisionText(statement)}`);
  const outcome = [
    statement.rows === null ? null : `${statement.rows} row${statement.rows === 1 ? '' : 's'}`,
    statement.duration_ms === null ? null : `${statement.duration_ms} ms`,
    statement.masked_columns.length ? `masked: ${statement.masked_columns.join(', ')}` : null,
  ].filter((part) => part !== null);
  if (outcome.length) lines.push(`  ${outcome.join(', ')}`);
  if (statement.error && statement.decision !== 'blocked') lines.push(`  error: ${statement.error}`);
  const recorded = statement.recorded_rows;
  if (recorded && recorded.rows.length > 0) {
    const rows = recorded.rows.map((row) => row.map((value) => value ?? 'NULL'));
    lines.push(
      ...table(recorded.columns, rows)
        .split('\n')
        .map((line) => `    ${line}`),
    );
    if (statement.rows !== null && statement.rows > recorded.rows.length) {
      lines.push(`    … ${statement.rows - recorded.rows.length} more row(s) not recorded`);
    }
  }
  return lines;
}

function decisionText(statement: TimelineStatement): string {
  const { approval } = statement;
  const waited = approval?.waited_ms == null ? '' : ` after ${(approval.waited_ms / 1000).toFixed(1)}s`;
  switch (statement.decision) {
    case 'allowed':
      return statement.rule ? `allowed by ${statement.rule}` : 'allowed';
    case 'blocked':
      return `blocked by ${statement.rule}: ${statement.reason}`;
    case 'approved':
      return `approved by ${statement.approver ?? approval?.approvers.join(', ') ?? '?'}${waited} (rule ${statement.rule}, ${approval?.request ?? 'request'})`;
    case 'denied':
      return `denied by ${statement.approver ?? '?'}${waited}: ${approval?.reason ?? statement.reason}`;
    case 'expired':
      return `not run${waited}: ${statement.reason}`;
  }
}
