import { profileOfBytes } from './detectors/detector.js';
import { maskJson } from './json.js';
import { maskText, mayFindAny } from './mask-text.js';
import { maskNumber } from './numbers.js';
import { applyStrategy, REDACTED } from './strategies.js';
import type { ColumnMask, MaskPlan } from './types.js';

/**
 * Masks a json/jsonb value that is itself masked data: a JSON string is masked as its text,
 * anything else as the whole JSON text; the result is written as a JSON string so the value still
 * parses. A value that is not JSON at all is redacted.
 */
function maskWholeJson(mask: ColumnMask, value: string, key: Buffer): string | null {
  if (mask.strategy === 'null') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return JSON.stringify(REDACTED);
  }
  const masked = applyStrategy(mask.strategy, typeof parsed === 'string' ? parsed : value, key);
  return masked === null ? null : JSON.stringify(masked);
}

/** Applies a column's mask to one non-NULL value; `null` means SQL NULL. Never throws. */
export function maskValue(mask: ColumnMask, value: string, key: Buffer): string | null {
  const { json, number } = mask;
  if (number !== undefined) return maskNumber(mask.strategy, value, key, number.digits);
  if (json === undefined) return applyStrategy(mask.strategy, value, key);
  if (json.mode === 'whole') return maskWholeJson(mask, value, key);
  const masked = maskJson(value, {
    keys: json.keys,
    requiredKeys: json.requiredKeys,
    detectors: json.detectors,
    hashKey: key,
  });
  return masked === null ? maskWholeJson(mask, value, key) : masked.text;
}

/**
 * Masks the value of column `index` of a result as `plan` says: the column's mask when a rule
 * applies, otherwise the detectors as the column's type allows. NULL stays NULL.
 */
export function maskCell(plan: MaskPlan, index: number, value: string | null, key: Buffer): string | null {
  if (value === null) return null;
  const mask = plan.columns[index];
  if (mask != null) return maskValue(mask, value, key);
  switch (plan.scans[index]) {
    case 'text':
      return maskText(value, plan.detectors).text;
    case 'json': {
      const inside = maskJson(value, { keys: [], requiredKeys: [], detectors: plan.detectors, hashKey: key });
      return inside === null ? maskText(value, plan.detectors).text : inside.text;
    }
    default:
      return value;
  }
}

/**
 * False when `maskCell` would return the UTF-8 value in `bytes[start..end)` of column `index`
 * unchanged: no rule masks the column and its detectors can find nothing in those bytes. Such a
 * value need not be decoded at all, which is what most values of a large result are.
 */
export function cellNeedsMasking(
  plan: MaskPlan,
  index: number,
  bytes: Uint8Array,
  start: number,
  end: number,
): boolean {
  if (plan.columns[index] != null) return true;
  switch (plan.scans[index]) {
    case 'text':
      return mayFindAny(profileOfBytes(bytes, start, end), plan.detectors);
    case 'json':
      return true;
    default:
      return false;
  }
}
