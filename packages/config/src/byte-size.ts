const BYTES_PER_UNIT = {
  B: 1,
  KB: 1_000,
  MB: 1_000_000,
  GB: 1_000_000_000,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
} as const;

type SizeUnit = keyof typeof BYTES_PER_UNIT;

const SIZE = /^(\d+)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/;

export const SIZE_EXAMPLE = 'a number with a unit B, KB, MB, GB, KiB, MiB or GiB, such as 512MB or 1GiB';

/** `512MB` → 512000000, `1GiB` → 1073741824. A unit is required, as for durations. */
export function parseByteSize(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match;
  if (amount === undefined || unit === undefined) return undefined;
  const bytes = Number(amount) * BYTES_PER_UNIT[unit as SizeUnit];
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
