import { isPunctuation, isWord } from './tokens.js';
import { constant, OperandReader, UNKNOWN, type Value } from './where-operands.js';
import { compareValues, likeMatches, truthOf } from './where-values.js';

const COMPARISONS = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=', '<=>']);

/** Evaluates a WHERE condition over constants; see whereAlwaysTrue. */
export class Evaluator extends OperandReader {
  protected conditionIn(from: number, to: number): Value {
    const inner = new Evaluator(this.tokens, from, to, this.dialect);
    try {
      const value = inner.condition();
      return inner.finished() ? value : UNKNOWN;
    } catch {
      return UNKNOWN;
    }
  }

  condition(): Value {
    const operands = [this.conjunction()];
    while (this.acceptWord('or') || (this.dialect === 'mysql' && this.acceptOperator('||'))) {
      operands.push(this.conjunction());
    }
    if (operands.length === 1) return operands[0] as Value;
    const truths = operands.map((operand) => this.truth(operand));
    if (truths.includes(true)) return constant(true);
    const nullTests = operands.flatMap((operand) =>
      operand.kind === 'unknown' && operand.nullTest ? [operand.nullTest] : [],
    );
    if (
      nullTests.some((test) =>
        nullTests.some((other) => other.key === test.key && other.negated !== test.negated),
      )
    ) {
      return constant(true);
    }
    return truths.every((truth) => truth === false) ? constant(false) : UNKNOWN;
  }

  private conjunction(): Value {
    const operands = [this.negation()];
    while (this.acceptWord('and') || (this.dialect === 'mysql' && this.acceptOperator('&&'))) {
      operands.push(this.negation());
    }
    if (operands.length === 1) return operands[0] as Value;
    const truths = operands.map((operand) => this.truth(operand));
    if (truths.includes(false)) return constant(false);
    return truths.every((truth) => truth === true) ? constant(true) : UNKNOWN;
  }

  private negation(): Value {
    if (this.acceptWord('not') || (this.dialect === 'mysql' && this.acceptOperator('!'))) {
      const truth = this.truth(this.negation());
      return truth === 'unknown' ? UNKNOWN : constant(truth === null ? null : !truth);
    }
    return this.predicate();
  }

  private truth(value: Value): boolean | null | 'unknown' {
    return value.kind === 'constant' ? truthOf(value.value, this.dialect) : 'unknown';
  }

  private predicate(): Value {
    const left = this.additive();
    const token = this.peek();
    if (token?.kind === 'operator' && COMPARISONS.has(token.value)) {
      this.position += 1;
      return this.compare(token.value, left, this.additive());
    }
    if (isWord(token, 'is')) return this.isTest(left);
    if (isWord(token, 'isnull') || isWord(token, 'notnull')) {
      this.position += 1;
      return this.nullTest(left, isWord(token, 'notnull'));
    }
    const negated = this.acceptWord('not');
    const next = this.peek();
    let result: Value = left;
    if (this.acceptWord('between')) result = this.between(left);
    else if (this.acceptWord('in')) result = this.inList(left);
    else if (this.acceptWord('like') || this.acceptWord('ilike'))
      result = this.like(left, isWord(next, 'ilike'));
    else if (this.acceptWord('regexp') || this.acceptWord('rlike') || this.acceptWord('similar')) {
      this.acceptWord('to');
      this.additive();
      result = UNKNOWN;
    } else if (negated) {
      throw new Error('NOT without a predicate');
    }
    if (!negated) return result;
    const truth = this.truth(result);
    return truth === 'unknown' ? UNKNOWN : constant(truth === null ? null : !truth);
  }

  private compare(operator: string, left: Value, right: Value): Value {
    if (left.kind === 'reference' && right.kind === 'reference' && left.key === right.key) {
      return constant(
        operator === '=' || operator === '==' || operator === '<=' || operator === '>=' || operator === '<=>',
      );
    }
    if (left.kind !== 'constant' || right.kind !== 'constant') return UNKNOWN;
    const order = compareValues(left.value, right.value, this.dialect);
    if (operator === '<=>')
      return constant(left.value === null || right.value === null ? left.value === right.value : order === 0);
    if (order === null) return constant(null);
    if (order === 'unknown') return UNKNOWN;
    switch (operator) {
      case '=':
      case '==':
        return constant(order === 0);
      case '<>':
      case '!=':
        return constant(order !== 0);
      case '<':
        return constant(order < 0);
      case '>':
        return constant(order > 0);
      case '<=':
        return constant(order <= 0);
      default:
        return constant(order >= 0);
    }
  }

  private isTest(left: Value): Value {
    this.position += 1;
    const negated = this.acceptWord('not');
    if (this.acceptWord('null')) return this.nullTest(left, negated);
    if (this.acceptWord('distinct')) {
      if (!this.acceptWord('from')) throw new Error('IS DISTINCT without FROM');
      const equal = this.compare('<=>', left, this.additive());
      const truth = this.truth(equal);
      return truth === 'unknown' ? UNKNOWN : constant(negated ? truth : !truth);
    }
    for (const word of ['true', 'false', 'unknown']) {
      if (!this.acceptWord(word)) continue;
      if (left.kind !== 'constant') return UNKNOWN;
      const truth = truthOf(left.value, this.dialect);
      if (truth === 'unknown') return UNKNOWN;
      const matches = word === 'unknown' ? truth === null : truth === (word === 'true');
      return constant(matches !== negated);
    }
    throw new Error('unreadable IS test');
  }

  private nullTest(left: Value, negated: boolean): Value {
    if (left.kind === 'constant') return constant((left.value === null) !== negated);
    if (left.kind === 'reference') return { kind: 'unknown', nullTest: { key: left.key, negated } };
    return UNKNOWN;
  }

  private between(left: Value): Value {
    const symmetric = this.acceptWord('symmetric');
    if (!symmetric) this.acceptWord('asymmetric');
    const low = this.additive();
    if (!this.acceptWord('and')) throw new Error('BETWEEN without AND');
    const high = this.additive();
    const ordered = this.within(left, low, high);
    if (!symmetric || ordered === true) return ordered === 'unknown' ? UNKNOWN : constant(ordered);
    const swapped = this.within(left, high, low);
    if (swapped === true) return constant(true);
    return ordered === false && swapped === false ? constant(false) : UNKNOWN;
  }

  private within(value: Value, low: Value, high: Value): boolean | 'unknown' {
    const above = this.truth(this.compare('>=', value, low));
    const below = this.truth(this.compare('<=', value, high));
    if (above === false || below === false) return false;
    return above === true && below === true ? true : 'unknown';
  }

  private inList(left: Value): Value {
    if (!isPunctuation(this.peek(), '(')) throw new Error('IN without a list');
    if (isWord(this.peek(1), 'select') || isWord(this.peek(1), 'with')) {
      this.skipParenthesised();
      return UNKNOWN;
    }
    this.position += 1;
    const items = [this.additive()];
    while (isPunctuation(this.peek(), ',')) {
      this.position += 1;
      items.push(this.additive());
    }
    if (!isPunctuation(this.peek(), ')')) throw new Error('unclosed IN list');
    this.position += 1;
    const truths = items.map((item) => this.truth(this.compare('=', left, item)));
    if (truths.includes(true)) return constant(true);
    return truths.every((truth) => truth === false) ? constant(false) : UNKNOWN;
  }

  private like(left: Value, caseInsensitive: boolean): Value {
    const pattern = this.additive();
    if (this.acceptWord('escape')) this.additive();
    if (pattern.kind !== 'constant' || typeof pattern.value !== 'string') return UNKNOWN;
    if (left.kind === 'reference' && /^%+$/.test(pattern.value)) return constant(true);
    if (left.kind !== 'constant' || left.value === null)
      return left.kind === 'constant' ? constant(null) : UNKNOWN;
    const matched = likeMatches(
      String(left.value),
      pattern.value,
      caseInsensitive || this.dialect === 'mysql',
    );
    return matched === null ? UNKNOWN : constant(matched);
  }
}
