import { describe, expect, it } from 'vitest';
import { maskMessage } from '../src/index.js';

describe('maskMessage', () => {
  it('masks a value a server error quotes, with detectors', () => {
    expect(maskMessage('invalid input syntax for type integer: "alice@example.com"', [], ['email'])).toBe(
      'invalid input syntax for type integer: "a***@example.com"',
    );
  });

  it('replaces values seen in masked columns this session, even ones no detector knows', () => {
    const message =
      'duplicate key value violates unique constraint "users_name_key": Key (name)=(Alice Smith) already exists.';
    expect(maskMessage(message, ['Alice Smith'], [])).toBe(
      'duplicate key value violates unique constraint "users_name_key": Key (name)=(****) already exists.',
    );
  });

  it('replaces every occurrence, the longest value first', () => {
    expect(maskMessage('x=ABC-123, y=ABC-123-XYZ, z=ABC-123', ['ABC-123', 'ABC-123-XYZ'], [])).toBe(
      'x=****, y=****, z=****',
    );
  });

  it('ignores very short known values, which would hit ordinary words', () => {
    expect(maskMessage('column "id" is of type integer', ['id', 'of'], [])).toBe(
      'column "id" is of type integer',
    );
  });

  it('combines known values and detectors', () => {
    expect(maskMessage('value "4111 1111 1111 1111" for secret-42', ['secret-42'], ['credit_card'])).toBe(
      'value "**** **** **** 1111" for ****',
    );
  });

  it('leaves a message without personal data alone', () => {
    const message = 'relation "orders" does not exist';
    expect(maskMessage(message, ['alice@example.com'], ['email', 'phone'])).toBe(message);
  });
});
