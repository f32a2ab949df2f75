import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type core, z } from 'zod';
import { ADDRESS_RANGE_EXAMPLE, ADDRESS_RANGES_EXAMPLE, parseAddressRange } from '../address-range.js';
import { parseByteSize, SIZE_EXAMPLE } from '../byte-size.js';
import { closestKey } from '../closest-key.js';
import { DURATION_EXAMPLE, parseDuration } from '../duration.js';
import { LISTEN_EXAMPLE, parseListenAddress } from '../listen-address.js';
import { Secret } from '../secret.js';

type ErrorText = (issue: core.$ZodRawIssue) => string;

/** Says whether the field is missing or wrong, and what would be right. Never quotes the input. */
export function expecting(expected: string): { error: ErrorText } {
  return {
    error: (issue) => (issue.input === undefined ? `missing; expected ${expected}` : `expected ${expected}`),
  };
}

/**
 * A mapping that refuses unknown keys, so a typo is reported instead of silently ignored.
 * One message line per unknown key, in the order of `issue.keys` (see `problemsFromIssues`).
 */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  const expected = `a mapping with keys ${allowed.join(', ')}`;
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return expecting(expected).error(issue);
      return issue.keys.map((key) => unknownKeyMessage(key, allowed)).join('\n');
    },
  });
}

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const suggestion = closestKey(key, allowed);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown key "${key}"${hint}; allowed keys: ${allowed.join(', ')}`;
}

export function text(expected: string) {
  return z.string(expecting(expected)).min(1, { error: `is empty; expected ${expected}` });
}

export function textList(example: string) {
  return z.array(text('a non-empty string'), expecting(`a list such as ${example}`));
}

export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, expecting(`one of ${values.join(', ')}`));
}

export function listOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.array(oneOf(values), expecting(`a list of ${values.join(', ')}`));
}

/** A positive duration with a unit, in milliseconds. */
export function duration() {
  return z.string(expecting(DURATION_EXAMPLE)).transform((value, context) => {
    const milliseconds = parseDuration(value);
    if (milliseconds !== undefined && milliseconds > 0) return milliseconds;
    const message =
      milliseconds === 0 ? 'must be longer than 0, such as 30s' : `expected ${DURATION_EXAMPLE}`;
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/** A size with a unit, in bytes; 0 is allowed (`0B` turns a floor off). */
export function byteSize() {
  return z.string(expecting(SIZE_EXAMPLE)).transform((value, context) => {
    const bytes = parseByteSize(value);
    if (bytes !== undefined) return bytes;
    context.addIssue({ code: 'custom', message: `expected ${SIZE_EXAMPLE}` });
    return z.NEVER;
  });
}

/** A positive duration with a unit in milliseconds, or `off` (null). */
export function durationOrOff() {
  return z.string(expecting(`${DURATION_EXAMPLE}, or off`)).transform((value, context) => {
    if (value === 'off') return null;
    const milliseconds = parseDuration(value);
    if (milliseconds !== undefined && milliseconds > 0) return milliseconds;
    context.addIssue({ code: 'custom', message: `expected ${DURATION_EXAMPLE}, or off` });
    return z.NEVER;
  });
}

export function listenAddress() {
  return z.string(expecting(LISTEN_EXAMPLE)).transform((value, context) => {
    const address = parseListenAddress(value);
    if (address !== undefined) return address;
    context.addIssue({
      code: 'custom',
      message: `expected ${LISTEN_EXAMPLE} or [::1]:6432, port 0 to 65535`,
    });
    return z.NEVER;
  });
}

/** Addresses and CIDR ranges, such as the balancers allowed to name their clients. */
export function addressRanges() {
  return z
    .array(z.string(expecting(ADDRESS_RANGE_EXAMPLE)), expecting(ADDRESS_RANGES_EXAMPLE))
    .transform((values, context) => {
      const ranges = values.map(parseAddressRange);
      ranges.forEach((range, index) => {
        if (range === undefined)
          context.addIssue({ code: 'custom', path: [index], message: `expected ${ADDRESS_RANGE_EXAMPLE}` });
      });
      return ranges.filter((range) => range !== undefined);
    });
}

export function secret(expected: string) {
  return text(expected).transform((value) => new Secret(value));
}

/** Accepts `20` or, after `${VAR}` substitution, the string `"20"`. */
export function wholeNumber(expected: string) {
  return z.union([z.number(), z.string()], expecting(expected)).transform((value, context) => {
    const number = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(number) && number >= 0) return number;
    context.addIssue({ code: 'custom', message: `expected ${expected}` });
    return z.NEVER;
  });
}

/** A path resolved against the config file's directory; the file must exist now. */
export function existingFile(baseDir: string, expected: string) {
  return text(expected).transform((value, context) => {
    const absolute = resolve(baseDir, value);
    if (isFile(absolute)) return absolute;
    context.addIssue({ code: 'custom', message: `file ${absolute} does not exist; expected ${expected}` });
    return z.NEVER;
  });
}

export function httpUrl(expected: string) {
  return text(expected).refine(isHttpUrl, { error: `expected ${expected}` });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
