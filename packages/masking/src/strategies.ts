import { createHmac } from 'node:crypto';
import type { MaskingStrategy } from '@sluice/config';
import { maskedAddress, splitEmailAddress } from './email-address.js';

/** The output of `redact`: fixed, so the length of the value is not leaked. */
export const REDACTED = '****';

const HASH_PREFIX = 'h_';
const HASH_HEX_CHARS = 16;

/** Higher is stricter: reveals less of the value. */
const STRICTNESS: Readonly<Record<MaskingStrategy, number>> = {
  email: 1,
  last4: 2,
  hash: 3,
  redact: 4,
  null: 5,
};

/** Applies one strategy to one value; `null` means SQL NULL. Never throws. */
export function applyStrategy(strategy: MaskingStrategy, value: string, key: Buffer): string | null {
  switch (strategy) {
    case 'redact':
      return REDACTED;
    case 'email':
      return maskEmail(value);
    case 'last4':
      return keepLastFour(value);
    case 'hash':
      return hashToken(value, key);
    case 'null':
      return null;
  }
}

/** `alice@example.com` → `a***@example.com`; anything that is not one address → `****`. */
export function maskEmail(value: string): string {
  const address = splitEmailAddress(value);
  if (address === null) return REDACTED;
  return maskedAddress(address.localPart, address.domain);
}

function isAsciiDigit(character: string): boolean {
  return character >= '0' && character <= '9';
}

/**
 * Keeps the last four digits when the value has more than four (card, account and phone numbers,
 * whose separators become `*` too), otherwise the last four characters; a value of four
 * characters or fewer becomes all `*`. Counts code points, so non-BMP characters stay whole.
 */
export function keepLastFour(value: string): string {
  const characters = Array.from(value);
  const digits = characters.filter(isAsciiDigit).length;
  if (characters.length <= 4) return '*'.repeat(characters.length);
  if (digits <= 4) return '*'.repeat(characters.length - 4) + characters.slice(-4).join('');
  let kept = 0;
  const masked = new Array<string>(characters.length);
  for (let index = characters.length - 1; index >= 0; index -= 1) {
    const character = characters[index] ?? '';
    if (kept < 4 && isAsciiDigit(character)) {
      masked[index] = character;
      kept += 1;
    } else {
      masked[index] = '*';
    }
  }
  return masked.join('');
}

/**
 * A stable token for a value: equal values under the same key give equal tokens (so masked
 * columns stay joinable and countable), and without the key the value cannot be guessed back by
 * hashing candidates.
 */
export function hashToken(value: string, key: Buffer): string {
  const digest = createHmac('sha256', key).update(value, 'utf8').digest('hex');
  return HASH_PREFIX + digest.slice(0, HASH_HEX_CHARS);
}

/** The strategy that reveals least among `strategies`; `redact` when there are none. */
export function strictestStrategy(strategies: Iterable<MaskingStrategy>): MaskingStrategy {
  let strictest: MaskingStrategy | null = null;
  for (const strategy of strategies) {
    if (strictest === null || STRICTNESS[strategy] > STRICTNESS[strictest]) strictest = strategy;
  }
  return strictest ?? 'redact';
}
