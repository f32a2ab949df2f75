import { isOperator, isPunctuation, isWord, type Token } from './tokens.js';

/** Reads a condition's tokens `[from, end)`; what the evaluator builds on. */
export class ConditionCursor {
  protected position: number;

  constructor(
    protected readonly tokens: readonly Token[],
    from: number,
    protected readonly end: number,
  ) {
    this.position = from;
  }

  finished(): boolean {
    return this.position === this.end;
  }

  protected peek(offset = 0): Token | undefined {
    const index = this.position + offset;
    return index < this.end ? this.tokens[index] : undefined;
  }

  protected acceptWord(word: string): boolean {
    if (!isWord(this.peek(), word)) return false;
    this.position += 1;
    return true;
  }

  protected acceptOperator(operator: string): boolean {
    if (!isOperator(this.peek(), operator)) return false;
    this.position += 1;
    return true;
  }

  protected skipParenthesised(): void {
    let depth = 0;
    while (this.position < this.end) {
      const token = this.tokens[this.position] as Token;
      this.position += 1;
      if (isPunctuation(token, '(') || isPunctuation(token, '[')) depth += 1;
      else if (isPunctuation(token, ')') || isPunctuation(token, ']')) {
        depth -= 1;
        if (depth === 0) return;
      }
    }
    throw new Error('unclosed parenthesis');
  }

  /** Recovers from a row constructor `(a, b)`: skips to the `)` closing the group just entered. */
  protected skipBackToParenthesis(): void {
    let depth = 1;
    while (this.position < this.end && depth > 0) {
      this.position += 1;
      const token = this.tokens[this.position];
      if (isPunctuation(token, '(')) depth += 1;
      else if (isPunctuation(token, ')')) depth -= 1;
    }
    if (depth > 0) throw new Error('unclosed parenthesis');
    this.position += 1;
  }

  protected skipCase(): void {
    let depth = 0;
    while (this.position < this.end) {
      const token = this.tokens[this.position] as Token;
      this.position += 1;
      if (isWord(token, 'case')) depth += 1;
      else if (isWord(token, 'end')) {
        depth -= 1;
        if (depth === 0) return;
      }
    }
    throw new Error('CASE without END');
  }
}
