import type { ReportContext } from './report-context.js';
import type { ControlSection } from './report-types.js';
import { ranked } from './statement-stats.js';

/** SC-7: the guardrail level and rules in force per connection, blocks by rule. */
export function boundaryProtection(context: ReportContext): ControlSection {
  const connections = context.settings?.connections;
  return {
    control: 'SC-7',
    title: 'Boundary protection',
    enforced:
      'Every statement passes Sluice before it reaches a database: guardrails (strict: no DROP, TRUNCATE, ALTER, role changes, GRANT/REVOKE, unbounded DELETE/UPDATE, server file access, dynamic SQL, unparseable SQL; standard: DDL allowed) run before the ordered rules; a blocked statement never reaches the database.',
    facts: [
      { label: 'Connections', value: connections ? connections.length : 'unknown (no configuration given)' },
      {
        label: 'Connections with guardrails off',
        value: connections ? connections.filter((c) => c.guardrails === 'off').length : '-',
      },
      { label: 'Blocked statements', value: context.statements.refusedCount.blocked },
    ],
    tables: [
      {
        title: 'Connections and the policy in force',
        columns: [
          'Connection',
          'Protocol',
          'Policy',
          'Guardrails',
          'Rules (action)',
          'Default',
          'Masked columns',
        ],
        rows: (connections ?? []).map((c) => [
          c.name,
          c.protocol,
          c.policy,
          c.guardrails,
          c.rules.map((r) => `${r.name} (${r.action})`).join(', ') || '-',
          c.default,
          c.maskedColumns,
        ]),
      },
      {
        title: 'Blocks by rule',
        columns: ['Rule', 'Blocked'],
        rows: ranked(context.statements.blockedByRule),
      },
    ],
  };
}
