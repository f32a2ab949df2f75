import type { ApprovalRequest } from './approval-types.js';
import type { Grant } from './grant-types.js';

export type ApprovalAction =
  | 'requested'
  | 'estimated'
  | 'approval'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'withdrawn'
  | 'used';
export type GrantAction = 'created' | 'revoked' | 'expired' | 'used';

/** What changed in the control state; the gateway journals each one, the admin API streams them. */
export type ControlEvent =
  | {
      readonly type: 'approval';
      readonly action: ApprovalAction;
      readonly request: ApprovalRequest;
      /** Who did it, for approvals, denials and withdrawals by a person. */
      readonly actor: string | null;
    }
  | {
      readonly type: 'grant';
      readonly action: GrantAction;
      readonly grant: Grant;
      readonly actor: string | null;
    };

export type ControlListener = (event: ControlEvent) => void;

/**
 * Where a change was made: here, or on another gateway sharing the store and mirrored here.
 * Journalling, webhooks and metrics watch only local changes (the other gateway has done them).
 */
export type ControlOrigin = 'local' | 'mirrored';

export type EveryControlListener = (event: ControlEvent, origin: ControlOrigin) => void;

/** Listeners of control events; a listener that throws does not stop the others. */
export class ControlEvents {
  private readonly listeners = new Set<ControlListener>();
  private readonly everyListeners = new Set<EveryControlListener>();

  /** Changes made on this gateway. */
  on(listener: ControlListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes made here and those mirrored from other gateways (what a watcher of the console sees). */
  onEvery(listener: EveryControlListener): () => void {
    this.everyListeners.add(listener);
    return () => this.everyListeners.delete(listener);
  }

  emit(event: ControlEvent): void {
    for (const listener of this.listeners) call(() => listener(event));
    for (const listener of this.everyListeners) call(() => listener(event, 'local'));
  }

  /** A change another gateway made, now applied here. */
  mirror(event: ControlEvent): void {
    for (const listener of this.everyListeners) call(() => listener(event, 'mirrored'));
  }
}

function call(listener: () => void): void {
  try {
    listener();
  } catch {
    // A watcher's failure (a closed stream, a webhook queue) must not stop the decision.
  }
}
