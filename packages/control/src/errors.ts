export type ControlErrorCode =
  | 'not-found'
  | 'not-pending'
  | 'forbidden'
  | 'self-approval'
  | 'already-approved'
  | 'reason-required'
  | 'invalid'
  /** The shared store, or the gateway that holds the request or session, cannot be reached now. */
  | 'unavailable';

/** A control action that cannot be done; `message` is a sentence a person can act on. */
export class ControlError extends Error {
  override readonly name = 'ControlError';

  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }
}
