/** Why the upstream login failed; logged for operators, never shown to the client. */
export class UpstreamError extends Error {
  constructor(
    message: string,
    /** The client must reconnect: the upstream no longer offers what the greeting promised. */
    readonly capabilityMismatch = false,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}
