import type { ApprovalRequest, ApprovalState } from '@sluice/control';
import type { FastifyInstance } from 'fastify';
import { seesAll } from '../access.js';
import { type AdminContext, actorOf } from '../context.js';
import { AdminError } from '../errors.js';
import { ERROR_REPLIES, idParams, listOf, reasonBody, ref } from '../schemas.js';
import { approvalViewOf } from '../views.js';

const STATES = ['pending', 'approved', 'denied', 'expired', 'withdrawn'] as const;

interface IdParams {
  readonly id: string;
}

export function approvalRoutes(app: FastifyInstance, { control }: AdminContext): void {
  const approvalView = approvalViewOf(control);
  const visible = (request: ApprovalRequest, caller: ReturnType<typeof actorOf>): boolean =>
    seesAll(caller) || request.identity === caller.name;

  app.get<{ Querystring: { state?: ApprovalState } }>(
    '/api/approvals',
    {
      config: { access: 'caller' },
      schema: {
        summary: 'Approval requests, newest first; callers without a role see only their own',
        tags: ['approvals'],
        querystring: {
          type: 'object',
          properties: { state: { type: 'string', enum: STATES } },
          additionalProperties: false,
        },
        response: { 200: listOf('Approval'), ...ERROR_REPLIES },
      },
    },
    async (request) => {
      const caller = actorOf(request);
      const state = request.query.state;
      return control.approvals
        .list(state ? { state } : {})
        .filter((each) => visible(each, caller))
        .map(approvalView);
    },
  );

  app.get<{ Params: IdParams }>(
    '/api/approvals/:id',
    {
      config: { access: 'caller' },
      schema: {
        summary: 'One approval request',
        tags: ['approvals'],
        params: idParams,
        response: { 200: ref('Approval'), ...ERROR_REPLIES },
      },
    },
    async (request) => {
      const found = control.approvals.get(request.params.id);
      if (!found || !visible(found, actorOf(request))) {
        throw new AdminError(404, `no approval request ${request.params.id}`);
      }
      return approvalView(found);
    },
  );

  app.post<{ Params: IdParams }>(
    '/api/approvals/:id/approve',
    {
      config: { access: 'caller' },
      schema: {
        summary: 'Approve a pending request (admins, approvers, or the request’s own approvers)',
        tags: ['approvals'],
        params: idParams,
        response: { 200: ref('Approval'), ...ERROR_REPLIES },
      },
    },
    // A request another gateway holds is decided there; the reply is the request as it has it then.
    async (request) => approvalView(await control.approve(request.params.id, actorOf(request))),
  );

  app.post<{ Params: IdParams; Body: { reason?: string } }>(
    '/api/approvals/:id/deny',
    {
      config: { access: 'caller' },
      schema: {
        summary: 'Deny a pending request; a reason is required',
        tags: ['approvals'],
        params: idParams,
        body: { ...reasonBody, required: ['reason'] },
        response: { 200: ref('Approval'), ...ERROR_REPLIES },
      },
    },
    async (request) =>
      approvalView(await control.deny(request.params.id, actorOf(request), request.body.reason ?? '')),
  );
}
