import { REDACTED } from '@sluice/masking';

/**
 * Data exceptions (class 22) quote the value that failed (`invalid input syntax for type
 * integer: "Alice Liddell"`), and integrity violations (class 23) list row values in their
 * detail (`Key (email)=(alice@example.com) already exists.`, `Failing row contains (…)`)
 * (errcodes-appendix). Those values may come from masked columns that no detector recognises,
 * so a masking session sees them redacted.
 */
export function redactQuotedValues(sqlState: string | undefined, field: string, text: string): string {
  if (sqlState?.startsWith('22') && (field === 'M' || field === 'D')) {
    return text.replace(/"(?:[^"]|"")*"/g, `"${REDACTED}"`);
  }
  if (sqlState?.startsWith('23') && field === 'D') {
    return text.replace(/(=|row contains )\(.*\)/s, `$1(${REDACTED})`);
  }
  return text;
}
