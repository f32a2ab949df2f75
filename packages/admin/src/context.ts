import type { SluiceConfig } from '@sluice/config';
import type { Actor, Control } from '@sluice/control';
import type { Journal } from '@sluice/journal';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Access } from './access.js';
import { AdminError } from './errors.js';
import type { PendingRevocations } from './pending-revocations.js';

/** What every route of the admin API works on. */
export interface AdminContext {
  readonly config: SluiceConfig;
  readonly control: Control;
  readonly journal: Journal;
  readonly log: Logger;
  /** With a shared store: revocations made while it is unreachable, written once it is back. */
  readonly pendingRevocations?: PendingRevocations;
}

/** What the service-account routes need: no configuration (the CLI on a bare journal file). */
export type AccountsContext = Pick<AdminContext, 'control' | 'journal' | 'log' | 'pendingRevocations'>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that has `config.access`. */
    actor: Actor | null;
    /** Why the request was refused (401/403), for the journal. */
    refusal: string | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** Set on routes whose work the gateway journals itself (MCP): only refusals are journalled here. */
    journalRefusalsOnly?: boolean;
  }
}

/** The authenticated caller of a route that declares `config.access`. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AdminError(401, 'authentication required');
  return request.actor;
}
