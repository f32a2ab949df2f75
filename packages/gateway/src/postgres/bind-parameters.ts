import type { frontend } from '@sluice/wire-postgres';

const PARAMETER_JOURNAL_LIMIT = 4096;

export function formatOf(bind: frontend.Bind, index: number): number {
  // One format code applies to all parameters; none means text (protocol-message-formats, Bind).
  if (bind.parameterFormats.length === 0) return 0;
  if (bind.parameterFormats.length === 1) return bind.parameterFormats[0] ?? 0;
  return bind.parameterFormats[index] ?? 0;
}

export function describeParameter(value: Buffer | null, format: number): string | null {
  if (value === null) return null;
  const shown = value.subarray(0, PARAMETER_JOURNAL_LIMIT);
  const text = format === 0 ? shown.toString('utf8') : `\\x${shown.toString('hex')}`;
  return value.length > PARAMETER_JOURNAL_LIMIT ? `${text}…` : text;
}
