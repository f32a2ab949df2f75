import { describe, expect, it } from 'vitest';
import { configOf, ORDERS_CONNECTION, problemsOf } from './support/configs.js';

const policyWith = (...lines: string[]) => [...ORDERS_CONNECTION, 'policies:', '  agents:', ...lines];

describe('policies.<name>.max_statement_time', () => {
  it('defaults to 5m under strict and to no limit under standard and off', () => {
    const config = configOf([
      ...ORDERS_CONNECTION,
      'policies:',
      '  strict-one: {}',
      '  standard-one: { guardrails: standard }',
      '  off-one: { guardrails: off }',
    ]);
    expect(config.policies.get('strict-one')?.maxStatementTimeMs).toBe(300_000);
    expect(config.policies.get('standard-one')?.maxStatementTimeMs).toBeNull();
    expect(config.policies.get('off-one')?.maxStatementTimeMs).toBeNull();
  });

  it('takes a duration, or off', () => {
    expect(
      configOf(policyWith('    max_statement_time: 1s')).policies.get('agents')?.maxStatementTimeMs,
    ).toBe(1000);
    expect(
      configOf(policyWith('    max_statement_time: off')).policies.get('agents')?.maxStatementTimeMs,
    ).toBeNull();
  });

  it('refuses a number without a unit', () => {
    const [problem] = problemsOf(policyWith('    max_statement_time: 30'));
    expect(problem?.message).toMatch(/30s.*or off|or off/);
  });
});
