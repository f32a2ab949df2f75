import { describe, expect, it } from 'vitest';
import { guardrailFor } from '../src/index.js';
import { GUARDRAIL_CASES } from './support/guardrail-cases.js';
import { analysis, POSTGRES_STATE } from './support/statements.js';

describe('guardrails', () => {
  describe.each(GUARDRAIL_CASES)('$name', (testCase) => {
    const statement = analysis(testCase.statement);
    const standard = 'standard' in testCase ? testCase.standard : testCase.strict;

    it(`strict: ${testCase.strict ?? 'passes'}`, () => {
      expect(guardrailFor('strict', statement, POSTGRES_STATE)?.id).toBe(testCase.strict);
    });

    it(`standard: ${standard ?? 'passes'}`, () => {
      expect(guardrailFor('standard', statement, POSTGRES_STATE)?.id).toBe(standard);
    });

    it('off: passes', () => {
      expect(guardrailFor('off', statement, POSTGRES_STATE)).toBeUndefined();
    });

    if (testCase.reason !== undefined) {
      const reason = testCase.reason;
      it('explains itself', () => {
        expect(guardrailFor('strict', statement, POSTGRES_STATE)?.reason).toBe(reason);
      });
    }
  });

  it('never repeats a literal value of the statement in its reason', () => {
    const statement = analysis({
      kind: 'set',
      command: 'SET',
      text: "SET client_encoding = 'SJIS; secret=hunter2'",
      settingChange: { name: 'client_encoding', value: 'SJIS; secret=hunter2', scope: 'session' },
    });
    const reason = guardrailFor('strict', statement, POSTGRES_STATE)?.reason ?? '';
    expect(reason).toBe('client_encoding cannot be followed by the analyser');
  });
});
