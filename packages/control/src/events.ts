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

/** Listeners of control events; a listener that throws does not stop the others. */
export class ControlEvents {
  private readonly listeners = new Set<ControlListener>();

  on(listener: ControlListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ControlEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A watcher's failure (a closed stream, a webhook queue) must not stop the decision.
      }
    }
  }
}
