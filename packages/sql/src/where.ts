import { WHERE_END } from './keywords.js';
import type { Token } from './tokens.js';
import type { Dialect } from './types.js';
import { Evaluator } from './where-evaluator.js';
import { truthOf } from './where-values.js';

/** The index after the condition that starts at `from` (a WHERE's first token). */
function conditionEnd(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let index = from; index < tokens.length; index += 1) {
    const token = tokens[index] as Token;
    if (token.kind === 'semicolon') return index;
    if (token.kind === 'punctuation') {
      if (token.value === '(') depth += 1;
      else if (token.value === ')') {
        if (depth === 0) return index;
        depth -= 1;
      }
    } else if (depth === 0 && token.kind === 'word' && WHERE_END.has(token.value)) {
      return index;
    }
  }
  return tokens.length;
}

/**
 * Whether the condition after the WHERE at `whereIndex` holds for every row: constant subtrees are
 * evaluated (`1=1`, `'a'='a'`, `2>1`, `NOT false`, `x OR true`), `x = x` and `x IS NULL OR x IS NOT
 * NULL` count as true. Anything it cannot read counts as not always true.
 */
export function whereAlwaysTrue(tokens: readonly Token[], whereIndex: number, dialect: Dialect): boolean {
  const from = whereIndex + 1;
  const to = conditionEnd(tokens, from);
  try {
    const evaluator = new Evaluator(tokens, from, to, dialect);
    const result = evaluator.condition();
    return evaluator.finished() && result.kind === 'constant' && truthOf(result.value, dialect) === true;
  } catch {
    return false;
  }
}
