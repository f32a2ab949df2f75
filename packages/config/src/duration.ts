const MILLISECONDS_PER_UNIT = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;

type DurationUnit = keyof typeof MILLISECONDS_PER_UNIT;

const DURATION = /^(\d+)([smhd])$/;

export const DURATION_EXAMPLE = 'a number with a unit s, m, h or d, such as 30s, 5m, 2h or 400d';

/**
 * `30s` → 30000, `90d` → 7776000000. A unit is required: a bare number is ambiguous
 * (seconds? milliseconds?) and is rejected rather than guessed.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, amount, unit] = match;
  if (amount === undefined || unit === undefined) return undefined;
  const milliseconds = Number(amount) * MILLISECONDS_PER_UNIT[unit as DurationUnit];
  return Number.isSafeInteger(milliseconds) ? milliseconds : undefined;
}
