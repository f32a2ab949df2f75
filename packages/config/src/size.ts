const BYTES_PER_UNIT = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
} as const;

type SizeUnit = keyof typeof BYTES_PER_UNIT;

const SIZE = /^(\d+)(B|KiB|MiB|GiB)$/;

export const SIZE_EXAMPLE = 'a number with a unit B, KiB, MiB or GiB, such as 512KiB or 64MiB';

/**
 * `64MiB` → 67108864. Binary units only, and a unit is required: `64MB` could be read as
 * either 64·10⁶ or 64·2²⁰, and a bare number as bytes or kilobytes, so neither is guessed.
 */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match;
  if (amount === undefined || unit === undefined) return undefined;
  const bytes = Number(amount) * BYTES_PER_UNIT[unit as SizeUnit];
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
