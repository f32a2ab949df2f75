import type { DetectorName, MaskingStrategy } from '@sluice/config';
import { numberCarries } from './numbers.js';
import type { ColumnMask, JsonKeyRule } from './types.js';
import { numberDigitsOf, valueKindOf } from './value-kinds.js';

/** What a rule decided for a value, before its type shapes the mask. */
export interface MaskIntent {
  readonly strategy: MaskingStrategy;
  readonly rule: string;
  readonly reason: ColumnMask['reason'];
  /** The value is one masked column unchanged (not an expression over it). */
  readonly whole: boolean;
  /** For JSON values that are not one column whole: the masked columns that flow into them. */
  readonly keys: readonly JsonKeyRule[];
  readonly requiredKeys: readonly string[];
}

/** The mask a value of `typeName` can carry for `intent`. */
export function maskOfType(
  intent: MaskIntent,
  typeName: string | null,
  detectors: readonly DetectorName[],
): ColumnMask {
  const { strategy, rule, reason } = intent;
  switch (valueKindOf(typeName)) {
    case 'text':
    case 'bytes':
    case 'structure':
      return { strategy, rule, reason };
    case 'number':
      return numberCarries(strategy)
        ? { strategy, rule, reason, number: { digits: numberDigitsOf(typeName) } }
        : { strategy: 'null', rule, reason };
    case 'other':
      // `****` or `h_…` would not parse as a date, time or UUID: the value becomes NULL.
      return { strategy: 'null', rule, reason };
    case 'json':
      if (intent.whole || intent.keys.length === 0) {
        return { strategy, rule, reason, json: { mode: 'whole', keys: [], requiredKeys: [], detectors } };
      }
      return {
        strategy,
        rule,
        reason: 'json',
        json: { mode: 'inside', keys: intent.keys, requiredKeys: intent.requiredKeys, detectors },
      };
  }
}

/**
 * The mask of one element of an array, or one field of a row value, that a rule masks as a
 * whole: each element is the masked data itself, shaped by the element's own type.
 */
export function elementMask(
  mask: ColumnMask,
  typeName: string | null,
  detectors: readonly DetectorName[],
): ColumnMask {
  if (mask.json !== undefined && valueKindOf(typeName) === 'json') return mask;
  const intent: MaskIntent = {
    strategy: mask.strategy,
    rule: mask.rule,
    reason: mask.reason,
    whole: true,
    keys: [],
    requiredKeys: [],
  };
  return maskOfType(intent, typeName, detectors);
}
