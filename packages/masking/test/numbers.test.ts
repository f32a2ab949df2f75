import { describe, expect, it } from 'vitest';
import { elementMask, maskNumber, maskValue } from '../src/index.js';

const key = Buffer.from('test-key');

describe('masking numbers', () => {
  it('keeps the last four digits of the integer part under last4', () => {
    expect(maskNumber('last4', '4111111111111111', key, 15)).toBe('1111');
    expect(maskNumber('last4', '-5500005555555559.00', key, 15)).toBe('5559');
    expect(maskNumber('last4', '219099999', key, 9)).toBe('9999');
    expect(maskNumber('last4', '12340012', key, 9)).toBe('12');
  });

  it('reads floats in exponent form as the number they are', () => {
    expect(maskNumber('last4', '4.111111111111111e+15', key, 15)).toBe('1111');
    expect(maskNumber('hash', '4.111111111111111e+15', key, 15)).toBe(
      maskNumber('hash', '4111111111111111', key, 15),
    );
  });

  it('shows no number of four digits or fewer whole', () => {
    expect(maskNumber('last4', '1234', key, 9)).toBe('0');
    expect(maskNumber('last4', '-7', key, 9)).toBe('0');
  });

  it('hashes into a stable number that fits the type', () => {
    const token = maskNumber('hash', '4155552671', key, 9);
    expect(token).toMatch(/^\d{1,9}$/);
    expect(maskNumber('hash', '4155552671', key, 9)).toBe(token);
    expect(maskNumber('hash', '4155552672', key, 9)).not.toBe(token);
    expect(Number(maskNumber('hash', '4155552671', key, 4))).toBeLessThan(10_000);
  });

  it('gives NULL for strategies a number cannot carry', () => {
    expect(maskNumber('redact', '123456', key, 9)).toBeNull();
    expect(maskNumber('email', '123456', key, 9)).toBeNull();
    expect(maskNumber('null', '123456', key, 9)).toBeNull();
  });
});

describe('element masks', () => {
  const column = { strategy: 'last4', rule: '*.card_number', reason: 'lineage' } as const;

  it('shapes a column mask by each element type', () => {
    expect(maskValue(elementMask(column, 'text', []), '4111 1111 1111 1111', key)).toBe(
      '***************1111',
    );
    expect(maskValue(elementMask(column, 'int8', []), '4111111111111111', key)).toBe('1111');
    expect(maskValue(elementMask(column, 'date', []), '2020-01-01', key)).toBeNull();
    expect(maskValue(elementMask(column, 'jsonb', []), '"4111 1111 1111 1111"', key)).toBe(
      '"***************1111"',
    );
  });
});
