export type GatewayErrorCode = 'listen-failed' | 'tls-unreadable' | 'restart-needed';

/** A gateway that cannot start, or cannot take a new configuration, says why, naming the connection, never a secret. */
export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GatewayError';
  }
}
