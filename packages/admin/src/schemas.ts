/** JSON Schemas of the admin API's bodies and replies; Fastify validates and the OpenAPI document shows them. */

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const texts = { type: 'array', items: text } as const;
const nullableTexts = { type: ['array', 'null'], items: text } as const;
const time = { type: 'string', format: 'date-time' } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  properties: { error: text },
  required: ['error'],
} as const;

const grantInputSchema = {
  type: 'object',
  properties: {
    identity: nullableText,
    group: nullableText,
    connection: text,
    allow: texts,
    tables: nullableTexts,
    duration_ms: { type: 'number' },
    reason: text,
  },
} as const;

export const approvalSchema = {
  $id: 'Approval',
  type: 'object',
  properties: {
    id: text,
    mode: { type: 'string', enum: ['hold', 'ticket'] },
    state: { type: 'string', enum: ['pending', 'approved', 'denied', 'expired', 'withdrawn'] },
    requested_at: time,
    deadline: time,
    identity: text,
    groups: texts,
    session: nullableText,
    connection: text,
    protocol: text,
    subject: {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['statement', 'grant'] },
        statement: text,
        parameters: { type: ['array', 'null'], items: nullableText },
        statement_kind: nullableText,
        tables: texts,
        estimated_rows: { type: ['number', 'null'] },
        grant: grantInputSchema,
      },
    },
    rule: text,
    reason: text,
    min_approvals: { type: 'integer' },
    approvers: { type: 'object', properties: { identities: texts, groups: texts } },
    recent_statements: texts,
    approvals: { type: 'array', items: { type: 'object', properties: { by: text, at: time } } },
    denial: {
      type: ['object', 'null'],
      properties: { by: text, at: time, reason: text },
    },
    decided_at: nullableTime,
    ticket_expires_at: nullableTime,
    used_at: nullableTime,
    end_reason: nullableText,
    gateway: nullableText,
  },
} as const;

export const grantSchema = {
  $id: 'Grant',
  type: 'object',
  properties: {
    id: text,
    state: { type: 'string', enum: ['active', 'expired', 'revoked'] },
    identity: nullableText,
    group: nullableText,
    connection: text,
    allow: texts,
    tables: nullableTexts,
    reason: text,
    created_by: text,
    created_at: time,
    expires_at: time,
    revoked_at: nullableTime,
    revoked_by: nullableText,
    request: nullableText,
  },
} as const;

export const sessionSchema = {
  $id: 'Session',
  type: 'object',
  properties: {
    id: text,
    identity: text,
    groups: texts,
    connection: text,
    protocol: text,
    client_address: text,
    started_at: time,
    statements: { type: 'integer' },
    state: { type: 'string', enum: ['idle', 'running', 'held', 'in-transaction'] },
    current: { type: ['object', 'null'], properties: { text, since: time } },
    held_by: nullableText,
    gateway: nullableText,
  },
} as const;

export const accountSchema = {
  $id: 'Account',
  type: 'object',
  properties: {
    name: text,
    groups: texts,
    status: { type: 'string', enum: ['active', 'revoked'] },
    created_at: time,
    expires_at: nullableTime,
    secret: { type: 'string', description: 'Only in the reply to add and rotate; shown once.' },
    revocation: {
      type: 'string',
      enum: ['pending'],
      description:
        'Revoked on this gateway while the shared store is unreachable: its sessions here are closed and its sign-ins refused; the store, and every other gateway, takes the revocation once it is back.',
    },
    message: { type: 'string', description: 'Only in the 202 reply to a pending revocation.' },
  },
} as const;

export const SHARED_SCHEMAS = [errorSchema, approvalSchema, grantSchema, sessionSchema, accountSchema];

export const ref = (id: string) => ({ $ref: `${id}#` }) as const;
export const listOf = (id: string) => ({ type: 'array', items: ref(id) }) as const;

/** The usual error replies of an authenticated route. */
export const ERROR_REPLIES = {
  400: ref('Error'),
  401: ref('Error'),
  403: ref('Error'),
  404: ref('Error'),
  409: ref('Error'),
} as const;

export const idParams = {
  type: 'object',
  properties: { id: text },
  required: ['id'],
} as const;

export const reasonBody = {
  type: 'object',
  properties: { reason: { type: 'string', maxLength: 1000 } },
  additionalProperties: false,
} as const;
