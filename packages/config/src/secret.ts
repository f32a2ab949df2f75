import { inspect } from 'node:util';

const HIDDEN = '[secret]';

/**
 * A value that must never reach logs, errors or the journal. Every way of turning it into text
 * (string conversion, JSON, util.inspect, console.log) gives `[secret]`; only `reveal()` gives
 * the value, so each use of the real value is explicit and easy to find.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}
