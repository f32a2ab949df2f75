import { createHmac } from 'node:crypto';
import type { MaskingStrategy } from '@sluice/config';

/** The strategies a number can carry; the others make a masked number NULL. */
export function numberCarries(strategy: MaskingStrategy): boolean {
  return strategy === 'last4' || strategy === 'hash';
}

/**
 * A masked number, written in decimal, or null for SQL NULL:
 * - `last4`: the number formed by the last four digits of the value's integer part (a card
 *   number stored as a number keeps what `last4` keeps of its text); a value of four digits or
 *   fewer would be shown whole, so it becomes 0, as its text would become all `*`;
 * - `hash`: a stable non-negative number of at most `digits` digits from the HMAC of the value's
 *   text, so masked numbers still join and group (with more collisions the narrower the type).
 */
export function maskNumber(
  strategy: MaskingStrategy,
  value: string,
  key: Buffer,
  digits: number,
): string | null {
  const written = plainDecimal(value.trim());
  if (strategy === 'last4') {
    const integer = written.replace(/^[-+]/, '').split('.')[0] ?? '';
    const kept = integer.replace(/\D/g, '');
    if (kept.length <= 4) return '0';
    return String(Number.parseInt(kept.slice(-4), 10));
  }
  if (strategy === 'hash' && digits > 0) {
    const digest = createHmac('sha256', key).update(written, 'utf8').digest();
    return (digest.readBigUInt64BE(0) % 10n ** BigInt(Math.min(digits, 18))).toString();
  }
  return null;
}

/**
 * A float may be written in exponent form (`4.111111111111111e+15` by PostgreSQL's float8 text
 * output, the plain digits by its binary form): both are read as the same plain decimal, so
 * text and binary results mask alike.
 */
function plainDecimal(value: string): string {
  if (!/e/i.test(value)) return value;
  const number = Number(value);
  if (!Number.isFinite(number)) return value;
  return Number.isInteger(number) ? BigInt(number).toString() : String(number);
}
