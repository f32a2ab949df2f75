import { parseDuration, type SluiceConfig } from '@sluice/config';
import { GRANT_ALLOWANCES, type GrantAllowance, type GrantInput, NOBODY } from '@sluice/control';
import type { FastifyInstance } from 'fastify';
import { type AdminContext, actorOf } from '../context.js';
import { AdminError } from '../errors.js';
import { ERROR_REPLIES, idParams, listOf, reasonBody, ref } from '../schemas.js';
import { approvalViewOf, grantView } from '../views.js';

/** How long a `grants request` waits for a decision when its policy sets no approval timeout. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30 * 60_000;

interface GrantBody {
  readonly identity?: string;
  readonly group?: string;
  readonly connection: string;
  readonly allow: readonly GrantAllowance[];
  readonly tables?: readonly string[];
  readonly for: string;
  readonly reason: string;
}

const grantBodyProperties = {
  connection: { type: 'string', minLength: 1 },
  allow: { type: 'array', items: { type: 'string', enum: GRANT_ALLOWANCES }, minItems: 1 },
  tables: { type: 'array', items: { type: 'string', minLength: 1 } },
  for: { type: 'string', description: 'A duration such as 30m, 2h', examples: ['30m'] },
  reason: { type: 'string', minLength: 1, maxLength: 1000 },
} as const;

export function grantRoutes(app: FastifyInstance, { config, control }: AdminContext): void {
  app.get<{ Querystring: { all?: boolean } }>(
    '/api/grants',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Active grants, newest first; ?all=true adds expired and revoked ones',
        tags: ['grants'],
        querystring: {
          type: 'object',
          properties: { all: { type: 'boolean' } },
          additionalProperties: false,
        },
        response: { 200: listOf('Grant'), ...ERROR_REPLIES },
      },
    },
    async (request) => control.grants.list({ all: request.query.all === true }).map(grantView),
  );

  app.post<{ Body: GrantBody }>(
    '/api/grants',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Grant an identity or a group a time-bound widening on one connection',
        tags: ['grants'],
        body: {
          type: 'object',
          properties: {
            identity: { type: 'string', minLength: 1 },
            group: { type: 'string', minLength: 1 },
            ...grantBodyProperties,
          },
          required: ['connection', 'allow', 'for', 'reason'],
          additionalProperties: false,
        },
        response: { 201: ref('Grant'), ...ERROR_REPLIES },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const input = grantInput(config, body, body.identity ?? null, body.group ?? null);
      reply.code(201);
      return grantView(control.grants.add(input, actorOf(request).name));
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/api/grants/:id/revoke',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Revoke an active grant',
        tags: ['grants'],
        params: idParams,
        body: reasonBody,
        response: { 200: ref('Grant'), ...ERROR_REPLIES },
      },
    },
    async (request) => grantView(control.grants.revoke(request.params.id, actorOf(request).name)),
  );

  app.post<{ Body: Omit<GrantBody, 'identity' | 'group'> }>(
    '/api/grants/requests',
    {
      config: { access: 'caller' },
      schema: {
        summary: 'Ask for a grant for yourself; it takes effect once approved',
        tags: ['grants'],
        body: {
          type: 'object',
          properties: grantBodyProperties,
          required: ['connection', 'allow', 'for', 'reason'],
          additionalProperties: false,
        },
        response: { 201: ref('Approval'), ...ERROR_REPLIES },
      },
    },
    async (request, reply) => {
      const requester = actorOf(request);
      if (requester.via === 'token') {
        throw new AdminError(400, 'the admin token is not an identity; use POST /api/grants to grant');
      }
      const input = grantInput(config, request.body, requester.name, null);
      reply.code(201);
      return approvalViewOf(control)(
        control.requestGrant(input, requester, requestSettings(config, input.connection)),
      );
    },
  );
}

function grantInput(
  config: SluiceConfig,
  body: Omit<GrantBody, 'identity' | 'group'>,
  identity: string | null,
  group: string | null,
): GrantInput {
  if (!config.connections.some((connection) => connection.name === body.connection)) {
    throw new AdminError(400, `no connection named "${body.connection}"`);
  }
  const durationMs = parseDuration(body.for);
  if (durationMs === undefined || durationMs <= 0) {
    throw new AdminError(400, `"for": "${body.for}" is not a duration such as 30m`);
  }
  return {
    identity,
    group,
    connection: body.connection,
    allow: body.allow,
    tables: body.tables && body.tables.length > 0 ? body.tables : null,
    durationMs,
    reason: body.reason,
  };
}

/** A grant request is decided like a statement of its connection's policy. */
function requestSettings(config: SluiceConfig, connectionName: string) {
  const connection = config.connections.find((each) => each.name === connectionName);
  const policy = connection?.policy ? config.policies.get(connection.policy) : undefined;
  const approval = policy?.approval;
  return {
    approvers: approval?.approvers ?? NOBODY,
    minApprovals: approval?.minApprovals ?? 1,
    timeoutMs: approval?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}
