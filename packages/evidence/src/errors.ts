/**
 * Why evidence could not be produced.
 * - `invalid-period`: a period that cannot be read or is empty.
 * - `invalid-anchor`: an anchor file that cannot be read, or whose signature does not verify.
 * - `invalid-key`: a signing key that cannot be read or is not Ed25519.
 */
export type EvidenceErrorCode = 'invalid-period' | 'invalid-anchor' | 'invalid-key';

export class EvidenceError extends Error {
  override readonly name = 'EvidenceError';
  readonly code: EvidenceErrorCode;

  constructor(code: EvidenceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
