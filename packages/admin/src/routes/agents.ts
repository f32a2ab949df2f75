import { parseDuration } from '@sluice/config';
import { generateSecret, makeVerifiers } from '@sluice/identity';
import { type Account, JournalError } from '@sluice/journal';
import type { FastifyInstance } from 'fastify';
import { type AccountsContext, actorOf } from '../context.js';
import { AdminError } from '../errors.js';
import { ERROR_REPLIES, listOf, reasonBody, ref } from '../schemas.js';
import { accountView } from '../views.js';

const nameParams = {
  type: 'object',
  properties: { name: { type: 'string' } },
  required: ['name'],
} as const;

interface NameParams {
  readonly name: string;
}

/** Service accounts. Each change is an AC-2 account event the journal writes with who made it. */
export function agentRoutes(
  app: FastifyInstance,
  { control, journal, log, pendingRevocations }: AccountsContext,
): void {
  app.get(
    '/api/agents',
    {
      config: { access: 'read' },
      schema: {
        summary: 'Service accounts',
        tags: ['agents'],
        response: { 200: listOf('Account'), ...ERROR_REPLIES },
      },
    },
    async () =>
      journal.listAccounts().map((account) => {
        const view = accountView(account);
        return pendingRevocations?.has(account.name) ? { ...view, revocation: 'pending' } : view;
      }),
  );

  app.post<{ Body: { name: string; groups?: string[]; expires?: string } }>(
    '/api/agents',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Create a service account; the reply carries its secret, shown once',
        tags: ['agents'],
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', minLength: 1 },
            groups: { type: 'array', items: { type: 'string', minLength: 1 } },
            expires: { type: 'string', description: 'Lifetime, e.g. 90d' },
          },
          required: ['name'],
          additionalProperties: false,
        },
        response: { 201: ref('Account'), ...ERROR_REPLIES },
      },
    },
    async (request, reply) => {
      const { name, groups = [], expires } = request.body;
      const expiresAt = expiry(expires);
      const secret = generateSecret();
      const account = journal.createAccount(
        { name, groups, expiresAt, verifiers: { ...makeVerifiers(secret) } },
        actorOf(request).name,
      );
      reply.code(201);
      return { ...accountView(account), secret };
    },
  );

  app.post<{ Params: NameParams; Body: { reason?: string } | undefined }>(
    '/api/agents/:name/revoke',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Revoke a service account; its open sessions end at once',
        tags: ['agents'],
        params: nameParams,
        body: reasonBody,
        response: { 200: ref('Account'), 202: ref('Account'), ...ERROR_REPLIES },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const reason = request.body?.reason?.trim() || 'revoked by an administrator';
      const actor = actorOf(request).name;
      const endSessions = (): number =>
        control.sessions.terminateIdentity(name, `service account "${name}" was revoked`);
      let account: Account;
      try {
        account = journal.revokeAccount(name, actor, reason);
      } catch (error) {
        const known = journal.getAccount(name);
        const storeDown = error instanceof JournalError && error.code === 'unavailable';
        if (!storeDown || !pendingRevocations || known?.status !== 'active') throw error;
        // Ended here at once and refused here from now on; every gateway once the store takes it.
        const closed = endSessions();
        pendingRevocations.add(name, actor, reason);
        log.warn({ identity: name, sessions: closed }, 'identity revoked here; the store takes it once back');
        reply.code(202);
        return {
          ...accountView(known),
          revocation: 'pending',
          message:
            `sluice: the shared store is unreachable: the sessions of "${name}" on this gateway were closed ` +
            'and it cannot sign in here; the revocation reaches the store and every other gateway once ' +
            'the store is back (or revoke it through each gateway now)',
        };
      }
      // The gateway ends the sessions itself: nothing else writes its journal to learn from.
      const closed = endSessions();
      log.info({ identity: name, sessions: closed }, 'identity revoked; sessions closed');
      return accountView(account);
    },
  );

  app.post<{ Params: NameParams; Body: { groups?: string[]; expires?: string } }>(
    '/api/agents/:name/modify',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Change a service account’s groups or expiry; what is not given stays',
        tags: ['agents'],
        params: nameParams,
        body: {
          type: 'object',
          properties: {
            groups: { type: 'array', items: { type: 'string', minLength: 1 } },
            expires: { type: 'string', description: 'Lifetime from now, e.g. 90d, or `never`' },
          },
          additionalProperties: false,
        },
        response: { 200: ref('Account'), ...ERROR_REPLIES },
      },
    },
    async (request) => {
      const { groups, expires } = request.body;
      const expiresAt = newExpiry(expires);
      const account = journal.modifyAccount(
        request.params.name,
        { ...(groups ? { groups } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}) },
        actorOf(request).name,
      );
      return accountView(account);
    },
  );

  app.post<{ Params: NameParams }>(
    '/api/agents/:name/rotate',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Replace a service account’s secret; the reply carries the new one, shown once',
        tags: ['agents'],
        params: nameParams,
        response: { 200: ref('Account'), ...ERROR_REPLIES },
      },
    },
    async (request) => {
      const secret = generateSecret();
      const account = journal.rotateAccount(
        request.params.name,
        { ...makeVerifiers(secret) },
        actorOf(request).name,
      );
      return { ...accountView(account), secret };
    },
  );
}

/** `never` clears the expiry; a duration sets it from now; absent leaves it. */
function newExpiry(text: string | undefined): Date | null | undefined {
  if (text === undefined) return undefined;
  return text === 'never' ? null : expiry(text);
}

function expiry(text: string | undefined): Date | null {
  if (text === undefined) return null;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new AdminError(400, `"expires": "${text}" is not a duration such as 90d`);
  return new Date(Date.now() + ms);
}
