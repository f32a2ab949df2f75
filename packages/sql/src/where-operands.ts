import { isOperator, isPunctuation, isWord, type Token } from './tokens.js';
import type { Dialect } from './types.js';
import { ConditionCursor } from './where-cursor.js';
import { type Constant, castValue } from './where-values.js';

/** A value while evaluating: a constant, a reference to a column or parameter, or unknown. */
export type Value =
  | { readonly kind: 'constant'; readonly value: Constant }
  | { readonly kind: 'reference'; readonly key: string }
  | { readonly kind: 'unknown'; readonly nullTest?: { readonly key: string; readonly negated: boolean } };

export const UNKNOWN: Value = { kind: 'unknown' };
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

export function constant(value: Constant): Value {
  return { kind: 'constant', value };
}

/** Reads operands (literals, references, arithmetic, casts, calls); conditions are the subclass's. */
export abstract class OperandReader extends ConditionCursor {
  constructor(
    tokens: readonly Token[],
    from: number,
    end: number,
    protected readonly dialect: Dialect,
  ) {
    super(tokens, from, end);
  }

  abstract condition(): Value;

  /** The value of the condition in tokens `[from, to)` alone; unknown unless all of it is read. */
  protected abstract conditionIn(from: number, to: number): Value;

  /** The constant-free arguments of the call whose `(` is at the current position. */
  private callArguments(): Value[] | null {
    const open = this.position;
    this.skipParenthesised();
    const close = this.position - 1;
    const values: Value[] = [];
    let depth = 0;
    let start = open + 1;
    for (let index = open + 1; index <= close; index += 1) {
      const token = this.tokens[index] as Token;
      if (isPunctuation(token, '(')) depth += 1;
      else if (isPunctuation(token, ')') && index < close) depth -= 1;
      else if (depth === 0 && (isPunctuation(token, ',') || index === close)) {
        if (index === start) return null;
        values.push(this.conditionIn(start, index));
        start = index + 1;
      }
    }
    return values;
  }

  /** `COALESCE` / `IFNULL` over constants: the first argument that is not NULL. */
  private coalesce(): Value {
    for (const value of this.callArguments() ?? [UNKNOWN]) {
      if (value.kind !== 'constant') return UNKNOWN;
      if (value.value !== null) return value;
    }
    return constant(null);
  }

  protected additive(): Value {
    let left = this.multiplicative();
    for (;;) {
      const token = this.peek();
      const concatenates = this.dialect === 'postgres' && isOperator(token, '||');
      if (!(token?.kind === 'operator' && (token.value === '+' || token.value === '-')) && !concatenates)
        return left;
      this.position += 1;
      const right = this.multiplicative();
      left = this.arithmetic((token as Token).value, left, right);
    }
  }

  private multiplicative(): Value {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const isOperatorToken =
        token?.kind === 'operator' &&
        ARITHMETIC.has(token.value) &&
        token.value !== '+' &&
        token.value !== '-';
      const isWordOperator = this.dialect === 'mysql' && (isWord(token, 'div') || isWord(token, 'mod'));
      if (!isOperatorToken && !isWordOperator) return left;
      this.position += 1;
      left = this.arithmetic((token as Token).value, left, this.unary());
    }
  }

  private arithmetic(operator: string, left: Value, right: Value): Value {
    if (left.kind !== 'constant' || right.kind !== 'constant') return UNKNOWN;
    if (left.value === null || right.value === null) return constant(null);
    if (operator === '||') return constant(`${String(left.value)}${String(right.value)}`);
    const a = Number(left.value);
    const b = Number(right.value);
    if (Number.isNaN(a) || Number.isNaN(b)) return UNKNOWN;
    const results: Record<string, number> = {
      '+': a + b,
      '-': a - b,
      '*': a * b,
      '/': a / b,
      div: Math.trunc(a / b),
      '%': a % b,
      mod: a % b,
    };
    const result = results[operator];
    return result === undefined || !Number.isFinite(result) ? UNKNOWN : constant(result);
  }

  private unary(): Value {
    const token = this.peek();
    if (token?.kind === 'operator' && (token.value === '-' || token.value === '+')) {
      this.position += 1;
      const operand = this.unary();
      if (operand.kind !== 'constant' || typeof operand.value !== 'number') return UNKNOWN;
      return constant(token.value === '-' ? -operand.value : operand.value);
    }
    let value = this.primary();
    while (this.acceptOperator('::')) value = this.cast(value);
    return value;
  }

  /** Reads a type name (`boolean`, `numeric(10,2)`, `character varying`, `int[]`) and applies it. */
  private cast(value: Value): Value {
    const type = this.peek();
    if (type === undefined || (type.kind !== 'word' && type.kind !== 'quoted-identifier'))
      throw new Error('cast without a type');
    this.position += 1;
    while (this.peek()?.kind === 'word' && isWord(this.peek(), 'varying')) this.position += 1;
    if (isPunctuation(this.peek(), '(')) this.skipParenthesised();
    let array = false;
    while (isPunctuation(this.peek(), '[') && isPunctuation(this.peek(1), ']')) {
      this.position += 2;
      array = true;
    }
    if (array || value.kind !== 'constant') return value.kind === 'reference' ? value : UNKNOWN;
    const cast = castValue(value.value, type.value, this.dialect);
    return cast === undefined ? UNKNOWN : constant(cast);
  }

  private primary(): Value {
    const token = this.peek();
    if (token === undefined) throw new Error('missing operand');
    if (token.kind === 'number') {
      this.position += 1;
      const value = Number(token.value.replaceAll('_', ''));
      return Number.isNaN(value) ? UNKNOWN : constant(value);
    }
    if (token.kind === 'string') {
      this.position += 1;
      return constant(token.value);
    }
    if (token.kind === 'parameter') {
      this.position += 1;
      return token.value === '?' ? UNKNOWN : { kind: 'reference', key: token.value };
    }
    if (isPunctuation(token, '(')) return this.parenthesised();
    if (token.kind === 'word') {
      const literal = ({ true: true, false: false, null: null } as Record<string, Constant>)[token.value];
      if (literal !== undefined) {
        this.position += 1;
        return constant(literal);
      }
      if (token.value === 'case') {
        this.skipCase();
        return UNKNOWN;
      }
      if (token.value === 'exists') return this.exists();
      if (token.value === 'array' && isPunctuation(this.peek(1), '[')) {
        this.position += 1;
        this.skipParenthesised();
        return UNKNOWN;
      }
    }
    if (token.kind === 'word' || token.kind === 'quoted-identifier') return this.nameOrCall();
    this.position += 1;
    return UNKNOWN;
  }

  private parenthesised(): Value {
    if (isWord(this.peek(1), 'select')) return this.scalarSubquery();
    if (isWord(this.peek(1), 'with') || isWord(this.peek(1), 'values')) {
      this.skipParenthesised();
      return UNKNOWN;
    }
    this.position += 1;
    const inner = this.condition();
    if (!isPunctuation(this.peek(), ')')) {
      this.position -= 1;
      this.skipBackToParenthesis();
      return UNKNOWN;
    }
    this.position += 1;
    return inner;
  }

  /** `(SELECT <constant>)` is that constant; a subquery with anything more is unknown. */
  private scalarSubquery(): Value {
    const select = this.position + 1;
    this.skipParenthesised();
    return this.conditionIn(select + 1, this.position - 1);
  }

  /** `EXISTS (SELECT <constants>)` without FROM or WHERE is true; other subqueries are unknown. */
  private exists(): Value {
    this.position += 1;
    const open = this.position;
    this.skipParenthesised();
    const inner = this.tokens.slice(open + 1, this.position - 1);
    const selectsConstants =
      isWord(inner[0], 'select') &&
      inner.length > 1 &&
      inner
        .slice(1)
        .every((token) => token.kind === 'number' || token.kind === 'string' || isPunctuation(token, ','));
    return selectsConstants ? constant(true) : UNKNOWN;
  }

  private nameOrCall(): Value {
    const first = this.peek() as Token;
    let key = first.value;
    this.position += 1;
    while (isPunctuation(this.peek(), '.') && this.peek(1) !== undefined) {
      key += `.${(this.peek(1) as Token).value}`;
      this.position += 2;
    }
    const next = this.peek();
    if (isPunctuation(next, '(')) {
      if (first.kind === 'word' && first.value === 'cast') return this.castCall();
      if (key === 'coalesce' || key === 'ifnull') return this.coalesce();
      this.skipParenthesised();
      return UNKNOWN;
    }
    // A typed literal (`DATE '2024-01-01'`) or a MySQL charset introducer (`_utf8mb4'x'`).
    if (next?.kind === 'string') {
      this.position += 1;
      return key.startsWith('_') ? constant(next.value) : UNKNOWN;
    }
    return { kind: 'reference', key };
  }

  private castCall(): Value {
    this.position += 1;
    const inner = this.condition();
    if (!this.acceptWord('as')) throw new Error('CAST without AS');
    const cast = this.cast(inner);
    if (!isPunctuation(this.peek(), ')')) throw new Error('unclosed CAST');
    this.position += 1;
    return cast;
  }
}
