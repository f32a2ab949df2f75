/** What the gateway said when it refused a statement, read back into parts an agent can act on. */
export interface Refusal {
  readonly rule: string;
  readonly reason: string;
  readonly hint: string;
  readonly text: string;
}

/** What would be allowed instead, per guardrail id (docs/policy.md lists them). */
const GUARDRAIL_HINTS: Readonly<Record<string, string>> = {
  unanalysable:
    'rewrite the statement in plain SQL the analyser can read (one statement, no vendor-specific syntax), or split it',
  'role-management': 'database accounts are managed by administrators, not through Sluice; ask a DBA',
  privileges: 'privileges are managed by administrators; ask a DBA to change them',
  'alter-system':
    'server-wide settings are out of reach; set a session-level setting (SET …) instead, or ask a DBA',
  truncate: 'delete the rows you mean with DELETE … WHERE naming them, or ask for approval',
  'copy-program': 'read the data with SELECT instead; programs on the database server cannot be run',
  'file-access': 'read the data with SELECT instead; files on the database server cannot be read or written',
  'dynamic-sql': 'send the statements themselves, one at a time, so each can be inspected',
  'role-switch': 'run as your own identity; the database role is chosen by Sluice',
  'unfollowable-setting': 'keep the default client encoding and sql_mode',
  'unbounded-write': 'add a WHERE clause naming the rows, e.g. WHERE id = 42',
  'other-sessions': 'only your own sessions can be cancelled; ask a DBA to end others',
  'blocking-lock': 'use row locks (SELECT … FOR UPDATE) or a lock mode that lets readers in',
  'table-rewrite':
    'use the CONCURRENTLY form (REINDEX CONCURRENTLY, REFRESH MATERIALIZED VIEW CONCURRENTLY) or plain VACUUM',
  'unbounded-work': 'sleep at most 60 s with a constant length, and do not sleep or notify once per row',
  'loosened-setting': 'keep read-only and integrity settings as they are; ask for a grant if you must write',
  'search-path': 'schema-qualify the names instead (SELECT … FROM schema.table)',
  ddl: 'schema changes are not allowed on this connection; query the data, or ask for a ddl grant (sluice grants request)',
};

const BLOCKED = /^sluice: blocked by (\S+?): ([\s\S]*)$/;
const TICKET = /^sluice: approval required: request (\S+?);/;
const DENIED = /^sluice: approval denied by /;
const TIMED_OUT = /^sluice: approval timed out/;

/** Reads a gateway error message; undefined when it is not one of Sluice's refusals. */
export function refusalOf(message: string): Refusal | undefined {
  const blocked = BLOCKED.exec(message);
  if (blocked) {
    const rule = blocked[1] ?? '';
    const reason = blocked[2] ?? '';
    return { rule, reason, hint: hintFor(rule), text: message };
  }
  const ticket = TICKET.exec(message);
  if (ticket)
    return {
      rule: 'approval',
      reason: "the statement needs a person's approval",
      hint: `ask an approver to approve request ${ticket[1]} (sluice approvals approve ${ticket[1]}), then call query again with the same SQL`,
      text: message,
    };
  if (DENIED.test(message))
    return {
      rule: 'approval',
      reason: message.slice('sluice: '.length),
      hint: 'do not retry the same statement; change it as the reason says',
      text: message,
    };
  if (TIMED_OUT.test(message))
    return {
      rule: 'approval',
      reason: message.slice('sluice: '.length),
      hint: 'nobody decided in time; call query again to file a new request, or ask an approver first',
      text: message,
    };
  return undefined;
}

function hintFor(rule: string): string {
  if (rule.startsWith('guardrail:')) {
    const id = rule.slice('guardrail:'.length);
    return GUARDRAIL_HINTS[id] ?? 'change the statement so that this guardrail does not apply';
  }
  if (rule === 'default')
    return 'no rule allows this statement on this connection; a read (SELECT) of tables the policy allows may be, or ask for a grant (sluice grants request)';
  return `rule "${rule}" of the connection's policy refuses it; statements it does not match are allowed (for example other tables or a read), or ask for a grant (sluice grants request)`;
}

/** The text an agent sees for a refusal. */
export function refusalText(refusal: Refusal): string {
  return `Refused by ${refusal.rule}: ${refusal.reason}\nWhat would be allowed: ${refusal.hint}`;
}
