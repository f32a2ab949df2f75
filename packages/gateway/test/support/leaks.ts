import { SEEDED_RAW_VALUES } from '../fixtures/masking-queries.js';

/** Every string a result carries, however the driver parsed it. */
export function textsOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Buffer.isBuffer(value)) return [value.toString('utf8'), value.toString('latin1')];
  if (value instanceof Date) return [value.toISOString()];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (typeof value === 'object') return [JSON.stringify(value), ...Object.values(value).flatMap(textsOf)];
  return [String(value)];
}

/** The seeded personal values found anywhere in a result, an error or a text. */
export function leaks(value: unknown): string[] {
  const texts = textsOf(value).map((text) => text.toLowerCase());
  return SEEDED_RAW_VALUES.filter((raw) => texts.some((text) => text.includes(raw.toLowerCase())));
}
