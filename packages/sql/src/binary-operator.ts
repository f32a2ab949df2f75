import { isName, isPunctuation, isWord, isWordIn, type Token } from './tokens.js';

/** Words before which `BINARY` is a type name, not the operator (`CAST(x AS BINARY)`, `USING binary`). */
const TYPE_POSITION = new Set(['as', 'using', 'set', 'charset', 'collate']);

const OPERAND_KINDS: ReadonlySet<string> = new Set(['string', 'number', 'parameter', 'variable']);

/** Tokens an operand can start with; `(` is left out: `BINARY(x)` already parses as a call. */
function startsOperand(token: Token | undefined): boolean {
  if (token === undefined) return false;
  return OPERAND_KINDS.has(token.kind) || isName(token);
}

/**
 * MySQL's unary `BINARY expr` turns a value into a byte string. node-sql-parser reads
 * `SELECT BINARY email FROM t` as a column named `binary` aliased `email`, which hides the column
 * the value comes from. A byte string shows the same data, so for lineage only the operator is
 * dropped (`SELECT email FROM t`); the statement as run is unchanged. Null when there is none.
 */
export function withoutBinaryOperators(tokens: readonly Token[], from: number, to: number): Token[] | null {
  let changed = false;
  const kept: Token[] = [];
  for (let index = from; index < to; index += 1) {
    const token = tokens[index] as Token;
    const operator =
      isWord(token, 'binary') &&
      startsOperand(tokens[index + 1]) &&
      !isPunctuation(tokens[index + 1], '(') &&
      !isWordIn(tokens[index - 1], TYPE_POSITION);
    if (operator) changed = true;
    else kept.push(token);
  }
  return changed ? kept : null;
}
