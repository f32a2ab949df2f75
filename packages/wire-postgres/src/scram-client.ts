import { randomBytes } from 'node:crypto';
import {
  checkNonce,
  decodeBase64,
  expectAttribute,
  parseIterations,
  readAttributes,
  refuseMandatoryExtension,
  scramError,
} from './scram-attributes.js';
import {
  clientKeyOf,
  clientProof,
  constantTimeEqual,
  saltedPassword,
  serverKeyOf,
  serverSignature,
} from './scram-keys.js';

const NONCE_BYTES = 18;
/** No channel binding; the user name is left to the startup message, as PostgreSQL ignores it. */
const GS2_HEADER = 'n,,';
const ANY_USER = '*';

/** Hi(Normalize(password), salt, i); a caller may remember it per salt and count (it costs ~4 ms). */
export type SaltedPasswordOf = (password: string, salt: Buffer, iterations: number) => Buffer;

export interface ClientFinalInput {
  readonly password: string;
  /** `saltedPassword` unless given. */
  readonly saltedPasswordOf?: SaltedPasswordOf;
  readonly gs2Header: string;
  readonly clientFirstBare: string;
  readonly clientNonce: string;
  readonly serverFirst: Buffer;
}

export interface ClientFinalOutput {
  readonly clientFinal: Buffer;
  readonly serverSignature: Buffer;
}

/**
 * The client side of one SCRAM-SHA-256 exchange, used to log in to an upstream server.
 * https://www.rfc-editor.org/rfc/rfc7677
 */
export class ScramClient {
  private readonly clientNonce: string;
  private readonly clientFirstBare: string;
  private expectedServerSignature: Buffer | null = null;

  /** `nonce` is for tests; by default 18 random bytes in base64, as libpq uses. */
  constructor(
    private readonly password: string,
    nonce?: string,
    private readonly saltedPasswordOf: SaltedPasswordOf = saltedPassword,
  ) {
    this.clientNonce = checkNonce(nonce ?? randomBytes(NONCE_BYTES).toString('base64'), 'client nonce');
    this.clientFirstBare = `n=${ANY_USER},r=${this.clientNonce}`;
  }

  /** 'n,,n=*,r=<nonce>' */
  clientFirst(): Buffer {
    return Buffer.from(GS2_HEADER + this.clientFirstBare, 'latin1');
  }

  /** server-first-message → client-final-message. Throws WireError 'scram' on malformed input or a foreign nonce. */
  clientFinal(serverFirst: Buffer): Buffer {
    const output = clientFinalMessage({
      password: this.password,
      saltedPasswordOf: this.saltedPasswordOf,
      gs2Header: GS2_HEADER,
      clientFirstBare: this.clientFirstBare,
      clientNonce: this.clientNonce,
      serverFirst,
    });
    this.expectedServerSignature = output.serverSignature;
    return output.clientFinal;
  }

  /** True only for a `v=` server signature proving the server knows the verifier; false on `e=`. */
  verifyServerFinal(serverFinal: Buffer): boolean {
    const expected = this.expectedServerSignature;
    if (!expected) return false;
    const text = serverFinal.toString('latin1');
    if (!text.startsWith('v=')) return false;
    const encoded = text.slice(2).split(',')[0] ?? '';
    try {
      return constantTimeEqual(decodeBase64(encoded, 'server signature'), expected);
    } catch {
      return false;
    }
  }
}

/** The computation behind ScramClient.clientFinal, with every input explicit (RFC test vectors name a user). */
export function clientFinalMessage(input: ClientFinalInput): ClientFinalOutput {
  const serverFirst = input.serverFirst.toString('latin1');
  const attributes = readAttributes(serverFirst, 'server-first-message');
  refuseMandatoryExtension(attributes, 'server-first-message');
  const nonce = checkNonce(
    expectAttribute(attributes, 0, 'r', 'server-first-message'),
    'server-first-message',
  );
  if (!nonce.startsWith(input.clientNonce) || nonce.length === input.clientNonce.length) {
    throw scramError('server-first-message: the server nonce does not extend the client nonce');
  }
  const salt = decodeBase64(expectAttribute(attributes, 1, 's', 'server-first-message'), 'salt');
  if (salt.length === 0) throw scramError('server-first-message: empty salt');
  // PostgreSQL lets scram_iterations go as low as 1, so any positive count is accepted.
  const iterations = parseIterations(
    expectAttribute(attributes, 2, 'i', 'server-first-message'),
    'server-first-message',
  );

  const withoutProof = `c=${Buffer.from(input.gs2Header, 'latin1').toString('base64')},r=${nonce}`;
  const authMessage = Buffer.from(`${input.clientFirstBare},${serverFirst},${withoutProof}`, 'latin1');
  const salted = (input.saltedPasswordOf ?? saltedPassword)(input.password, salt, iterations);
  const proof = clientProof(clientKeyOf(salted), authMessage);
  return {
    clientFinal: Buffer.from(`${withoutProof},p=${proof.toString('base64')}`, 'latin1'),
    serverSignature: serverSignature(serverKeyOf(salted), authMessage),
  };
}
