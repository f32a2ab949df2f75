import { isName, isOperator, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';

const LOCK_STRENGTH = new Set(['update', 'share', 'no', 'key']);

/**
 * PostgreSQL's prefix-only math operators (absolute value, square and cube root), which the
 * parser cannot read; the value still comes from their operand.
 */
const PREFIX_MATH = new Set(['@', '|/', '||/']);

/** The index where a trailing `FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE …` clause starts, or `to`. */
function lockingClause(tokens: readonly Token[], from: number, to: number): number {
  let depth = 0;
  for (let index = from; index < to; index += 1) {
    const token = tokens[index] as Token;
    if (isPunctuation(token, '(')) depth += 1;
    else if (isPunctuation(token, ')')) depth -= 1;
    else if (depth === 0 && isWord(token, 'for') && isWordIn(tokens[index + 1], LOCK_STRENGTH)) return index;
  }
  return to;
}

/** The index after a cast's type name: `[schema.]name [varying] [(modifiers)] [[]…]`. */
function typeEnd(tokens: readonly Token[], from: number, to: number): number {
  let index = from;
  while (isName(tokens[index]) && isPunctuation(tokens[index + 1], '.') && isName(tokens[index + 2]))
    index += 2;
  if (isName(tokens[index])) index += 1;
  if (isWord(tokens[index], 'varying')) index += 1;
  if (isPunctuation(tokens[index], '(')) {
    while (index < to && !isPunctuation(tokens[index], ')')) index += 1;
    index += 1;
  }
  while (isPunctuation(tokens[index], '[') && isPunctuation(tokens[index + 1], ']')) index += 2;
  return Math.min(index, to);
}

/**
 * A simplified copy of a query's tokens that node-sql-parser reads more often, kept for lineage
 * only (output columns do not depend on what is removed): trailing row-locking clauses, casts of
 * parameters (`$1::int[]`), schemas and array brackets of cast types, prefix math operators
 * (`@ x`, `|/ x`), and the empty select list of `EXISTS (SELECT FROM …)`. Returns null when nothing would change.
 */
export function lenientTokens(tokens: readonly Token[], from: number, to: number): Token[] | null {
  const end = lockingClause(tokens, from, to);
  const simplified: Token[] = [];
  let changed = end < to;
  for (let index = from; index < end; index += 1) {
    const token = tokens[index] as Token;
    if (isOperator(token, '::')) {
      const after = typeEnd(tokens, index + 1, end);
      if (simplified[simplified.length - 1]?.kind === 'parameter') {
        changed = true;
      } else {
        simplified.push(token);
        let cursor = index + 1;
        while (isName(tokens[cursor]) && isPunctuation(tokens[cursor + 1], '.') && cursor + 2 < after)
          cursor += 2;
        for (; cursor < after; cursor += 1) {
          const part = tokens[cursor] as Token;
          if (!isPunctuation(part, '[') && !isPunctuation(part, ']')) simplified.push(part);
        }
        changed ||= after - index - 1 !== simplified.length - simplified.lastIndexOf(token) - 1;
      }
      index = after - 1;
      continue;
    }
    if (token.kind === 'operator' && PREFIX_MATH.has(token.value)) {
      changed = true;
      continue;
    }
    simplified.push(token);
    if (
      isWord(token, 'select') &&
      isPunctuation(tokens[index - 1], '(') &&
      isWord(tokens[index + 1], 'from')
    ) {
      simplified.push({ kind: 'number', start: token.end, end: token.end, value: '1', conditional: false });
      changed = true;
    }
  }
  return changed ? simplified : null;
}
