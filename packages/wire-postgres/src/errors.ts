/**
 * Why bytes could not be framed or decoded, or why a SCRAM exchange failed.
 * - `frame-too-large`: a declared frame length above the configured limit.
 * - `bad-length`: a declared frame length too small to be a frame.
 * - `malformed`: a frame whose content is truncated or inconsistent with its type.
 * - `unsupported-protocol`: a startup frame asking for a protocol this package does not speak.
 * - `scram`: a SCRAM message that breaks RFC 5802 or what PostgreSQL accepts.
 */
export type WireErrorCode = 'frame-too-large' | 'bad-length' | 'malformed' | 'unsupported-protocol' | 'scram';

export class WireError extends Error {
  override readonly name = 'WireError';
  readonly code: WireErrorCode;

  constructor(code: WireErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
