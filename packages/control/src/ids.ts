import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short id a person can read aloud and type: `apr-7fk2m9qd`. */
export function shortId(prefix: string): string {
  const bytes = randomBytes(8);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}-${id}`;
}
