import { WireError } from './errors.js';

/**
 * Reading SCRAM messages: comma-separated `letter=value` attributes in a fixed order.
 * Messages are handled as latin1 strings so that every byte survives into AuthMessage unchanged.
 * https://www.rfc-editor.org/rfc/rfc5802#section-7
 */

export interface Attribute {
  readonly name: string;
  readonly value: string;
}

const ATTRIBUTE = /^([A-Za-z])=(.*)$/s;
// printable = %x21-2B / %x2D-7E (any visible ASCII except ',').
const NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const POSITIVE_INTEGER = /^[1-9][0-9]{0,9}$/;

export function scramError(message: string): WireError {
  return new WireError('scram', `SCRAM: ${message}`);
}

export function readAttributes(message: string, messageName: string): Attribute[] {
  return message.split(',').map((part) => {
    const match = ATTRIBUTE.exec(part);
    if (!match) throw scramError(`${messageName}: malformed attribute "${part}"`);
    return { name: match[1] ?? '', value: match[2] ?? '' };
  });
}

/** The attribute at `index`, which must be `name`. */
export function expectAttribute(
  attributes: readonly Attribute[],
  index: number,
  name: string,
  messageName: string,
): string {
  const attribute = attributes[index];
  if (attribute?.name !== name) {
    throw scramError(`${messageName}: expected attribute ${name}= at position ${index + 1}`);
  }
  return attribute.value;
}

/** RFC 5802 reserves m= for mandatory extensions, which no one defines: refusing is required. */
export function refuseMandatoryExtension(attributes: readonly Attribute[], messageName: string): void {
  if (attributes[0]?.name === 'm') throw scramError(`${messageName}: mandatory extensions are not supported`);
}

export function checkNonce(nonce: string, messageName: string): string {
  if (!NONCE.test(nonce))
    throw scramError(`${messageName}: nonce contains characters outside printable ASCII`);
  return nonce;
}

export function decodeBase64(value: string, what: string): Buffer {
  if (!BASE64.test(value)) throw scramError(`${what} is not valid base64`);
  return Buffer.from(value, 'base64');
}

export function parseIterations(value: string, messageName: string): number {
  if (!POSITIVE_INTEGER.test(value))
    throw scramError(`${messageName}: iteration count "${value}" is not a positive integer`);
  const iterations = Number(value);
  if (iterations > 0x7fffffff) throw scramError(`${messageName}: iteration count ${value} is too large`);
  return iterations;
}
