import type { Actor } from './actor.js';
import type { ApprovalRequest } from './approval-types.js';

export type Decision = { readonly action: 'approve' } | { readonly action: 'deny'; readonly reason: string };

/**
 * What this gateway asks of the others sharing its store: a decision on a request one of them
 * holds, the end of a session one of them serves. The holder is the authority and answers.
 */
export interface RemoteControl {
  /** The request as its holder has it after the decision; a ControlError with the holder's refusal otherwise. */
  decide(owner: string, id: string, actor: Actor, decision: Decision): Promise<ApprovalRequest>;
  /** False when the gateway has no such session (any more). */
  kill(gateway: string, sessionId: string, reason: string): Promise<boolean>;
}

/** How this gateway's link to the shared store stands, for `/metrics`. */
export interface ControlStoreStatus {
  readonly up: boolean;
  /** Seconds between a change's notification being sent and received here, the latest one. */
  readonly notificationLagSeconds: number | null;
  /** Changes made here that wait to be written to the store. */
  readonly waitingChanges: number;
}
