/**
 * Why bytes could not be framed or decoded, or why an authentication exchange failed.
 * - `packet-too-large`: a logical packet above the configured limit (ER_NET_PACKET_TOO_LARGE).
 * - `malformed`: a payload truncated or inconsistent with what the packet must hold, or a value
 *   an encoder cannot put on the wire.
 * - `sequence`: a continuation packet whose sequence id does not follow the previous one.
 * - `auth`: an authentication message or verifier that breaks the plugin's rules.
 */
export type MysqlWireErrorCode = 'packet-too-large' | 'malformed' | 'sequence' | 'auth';

export class MysqlWireError extends Error {
  override readonly name = 'MysqlWireError';
  readonly code: MysqlWireErrorCode;

  constructor(code: MysqlWireErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
