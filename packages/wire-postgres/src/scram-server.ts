import { randomBytes } from 'node:crypto';
import {
  checkNonce,
  decodeBase64,
  expectAttribute,
  readAttributes,
  refuseMandatoryExtension,
  scramError,
} from './scram-attributes.js';
import { proofMatches, type ScramVerifierKeys, serverSignature } from './scram-keys.js';

const NONCE_BYTES = 18;
const PROOF_ATTRIBUTE = ',p=';

type ServerState =
  | { readonly kind: 'awaiting-client-first' }
  | {
      readonly kind: 'awaiting-client-final';
      readonly gs2Header: string;
      readonly nonce: string;
      readonly clientFirstBare: string;
      readonly serverFirst: string;
    }
  | { readonly kind: 'finished' };

export type ScramServerFinal =
  | { readonly ok: true; readonly message: Buffer }
  | { readonly ok: false; readonly reason: string };

/**
 * The server side of one SCRAM-SHA-256 exchange, as PostgreSQL runs it: no channel binding
 * offered, the user name in client-first ignored (the startup message names the user).
 * https://www.postgresql.org/docs/current/sasl-authentication.html
 */
export class ScramServer {
  private state: ServerState = { kind: 'awaiting-client-first' };
  private readonly serverNonce: string;

  /** `nonce` is for tests; by default 18 random bytes in base64, as PostgreSQL uses. */
  constructor(
    private readonly keys: ScramVerifierKeys,
    nonce?: string,
  ) {
    this.serverNonce = checkNonce(nonce ?? randomBytes(NONCE_BYTES).toString('base64'), 'server nonce');
  }

  /** client-first-message → server-first-message. Throws WireError 'scram' on malformed input. */
  serverFirst(clientFirst: Buffer): Buffer {
    if (this.state.kind !== 'awaiting-client-first') throw scramError('client-first-message received twice');
    const text = clientFirst.toString('latin1');
    const gs2Header = readGs2Header(text);
    const clientFirstBare = text.slice(gs2Header.length);
    const attributes = readAttributes(clientFirstBare, 'client-first-message');
    refuseMandatoryExtension(attributes, 'client-first-message');
    expectAttribute(attributes, 0, 'n', 'client-first-message');
    const clientNonce = checkNonce(
      expectAttribute(attributes, 1, 'r', 'client-first-message'),
      'client-first-message',
    );
    const nonce = clientNonce + this.serverNonce;
    const serverFirst = `r=${nonce},s=${this.keys.salt.toString('base64')},i=${this.keys.iterations}`;
    this.state = { kind: 'awaiting-client-final', gs2Header, nonce, clientFirstBare, serverFirst };
    return Buffer.from(serverFirst, 'latin1');
  }

  /**
   * client-final-message → server-final-message when the proof is valid (constant-time
   * comparison), or the reason it is not, malformed input included.
   */
  serverFinal(clientFinal: Buffer): ScramServerFinal {
    const state = this.state;
    this.state = { kind: 'finished' };
    if (state.kind !== 'awaiting-client-final')
      return { ok: false, reason: 'client-final-message out of order' };
    const text = clientFinal.toString('latin1');
    const proofAt = text.lastIndexOf(PROOF_ATTRIBUTE);
    if (proofAt === -1) return { ok: false, reason: 'client-final-message has no proof' };
    const withoutProof = text.slice(0, proofAt);
    try {
      const attributes = readAttributes(withoutProof, 'client-final-message');
      const binding = decodeBase64(
        expectAttribute(attributes, 0, 'c', 'client-final-message'),
        'channel binding',
      );
      if (binding.toString('latin1') !== state.gs2Header) {
        return { ok: false, reason: 'channel binding does not match the gs2 header' };
      }
      if (expectAttribute(attributes, 1, 'r', 'client-final-message') !== state.nonce) {
        return { ok: false, reason: 'nonce mismatch' };
      }
      const proof = decodeBase64(text.slice(proofAt + PROOF_ATTRIBUTE.length), 'client proof');
      const authMessage = Buffer.from(
        `${state.clientFirstBare},${state.serverFirst},${withoutProof}`,
        'latin1',
      );
      if (!proofMatches(this.keys, authMessage, proof)) return { ok: false, reason: 'invalid proof' };
      const signature = serverSignature(this.keys.serverKey, authMessage);
      return { ok: true, message: Buffer.from(`v=${signature.toString('base64')}`, 'latin1') };
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
}

/**
 * `n,,` (client does not support channel binding) or `y,,` (it does, but thinks we do not).
 * `p=` would demand channel binding, which is never offered here; an authzid is not supported.
 */
function readGs2Header(text: string): string {
  if (text.startsWith('p=')) throw scramError('channel binding is not supported (client sent p=)');
  if (!text.startsWith('n,') && !text.startsWith('y,'))
    throw scramError('client-first-message: bad gs2 header');
  if (text.startsWith('a=', 2))
    throw scramError('client-first-message: authorization identities are not supported');
  if (text[2] !== ',') throw scramError('client-first-message: bad gs2 header');
  return text.slice(0, 3);
}
