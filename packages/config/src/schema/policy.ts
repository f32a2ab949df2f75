import { z } from 'zod';
import {
  APPROVAL_MODES,
  DETECTORS,
  GUARDRAIL_LEVELS,
  MASKING_STRATEGIES,
  RULE_ACTIONS,
  STATEMENT_KINDS,
} from '../types.js';
import {
  duration,
  durationOrOff,
  expecting,
  httpUrl,
  listOf,
  oneOf,
  secret,
  section,
  text,
  textList,
  wholeNumber,
} from './fields.js';

export const approvers = section({
  identities: textList('[alice@example.com]').default([]),
  groups: textList('[dba]').default([]),
});

const ruleMatch = section({
  identities: textList('[ci-bot, alice@example.com]').optional(),
  groups: textList('[ci, dba]').optional(),
  connections: textList('[orders]').optional(),
  kind: listOf(STATEMENT_KINDS).optional(),
  tables: textList('[payroll.*, public.users]').optional(),
  functions: textList('[pg_sleep]').optional(),
});

/** A rule's own approval settings; what it leaves out comes from the policy's `approval`. */
const ruleApproval = section({
  mode: oneOf(APPROVAL_MODES).optional(),
  timeout: duration().optional(),
  ticket_ttl: duration().optional(),
  min_approvals: wholeNumber('a whole number of approvals such as 2').optional(),
  approvers: approvers.optional(),
}).transform((settings) => ({
  mode: settings.mode,
  timeoutMs: settings.timeout,
  ticketTtlMs: settings.ticket_ttl,
  minApprovals: settings.min_approvals,
  approvers: settings.approvers,
}));

const rule = section({
  name: text('a rule name such as writes-need-approval'),
  match: ruleMatch,
  action: oneOf(RULE_ACTIONS),
  approval: ruleApproval.optional(),
});

const columnMask = section({
  match: text('a column pattern such as *.email or users.ssn'),
  strategy: oneOf(MASKING_STRATEGIES),
});

const masking = section({
  columns: z.array(columnMask, expecting('a list of { match, strategy }')).default([]),
  detectors: listOf(DETECTORS).default([]),
  exempt: section({ groups: textList('[dba]').default([]) }).prefault({}),
  hash_key: secret(`a key for stable hashes such as \${SLUICE_HASH_KEY}`).optional(),
}).transform((settings) => ({
  columns: settings.columns,
  detectors: settings.detectors,
  exempt: settings.exempt,
  hashKey: settings.hash_key,
}));

const approval = section({
  mode: oneOf(APPROVAL_MODES).default('hold'),
  timeout: duration().prefault('5m'),
  ticket_ttl: duration().prefault('1h'),
  min_approvals: wholeNumber('a whole number of approvals such as 1').default(1),
  approvers: approvers.optional(),
  webhook: httpUrl('an http(s) URL such as https://hooks.example.com/sluice').optional(),
}).transform((settings) => ({
  mode: settings.mode,
  timeoutMs: settings.timeout,
  ticketTtlMs: settings.ticket_ttl,
  minApprovals: settings.min_approvals,
  approvers: settings.approvers,
  webhook: settings.webhook,
}));

/** How long a statement may run under `strict` when the policy does not say. */
export const STRICT_MAX_STATEMENT_MS = 5 * 60_000;

/** One `policies.NAME` entry; the name is added by the caller, which knows the key. */
export const policySchema = section({
  guardrails: oneOf(GUARDRAIL_LEVELS).default('strict'),
  max_statement_time: durationOrOff().optional(),
  rules: z.array(rule, expecting('a list of rules, each { name, match, action }')).default([]),
  default: oneOf(RULE_ACTIONS).default('allow'),
  masking: masking.optional(),
  approval: approval.optional(),
}).transform((settings) => ({
  guardrails: settings.guardrails,
  maxStatementTimeMs:
    settings.max_statement_time === undefined
      ? settings.guardrails === 'strict'
        ? STRICT_MAX_STATEMENT_MS
        : null
      : settings.max_statement_time,
  rules: settings.rules,
  default: settings.default,
  masking: settings.masking,
  approval: settings.approval,
}));
