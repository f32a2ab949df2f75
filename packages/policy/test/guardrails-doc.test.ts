import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GUARDRAIL_IDS, STRICT_ONLY_GUARDRAILS } from '../src/index.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../docs/policy.md', import.meta.url)), 'utf8');

/** The first cell of each row of the guardrail table: `` `id` `` or `` `id` (strict only) ``. */
const rows = [...DOC.matchAll(/^\| `([a-z-]+)`( \(strict only\))?\s*\|/gm)].map((match) => ({
  id: match[1],
  strictOnly: match[2] !== undefined,
}));

describe('the guardrail table in docs/policy.md', () => {
  it('lists every guardrail in the order they are checked, marking those only strict runs', () => {
    expect(rows.filter((row) => (GUARDRAIL_IDS as readonly (string | undefined)[]).includes(row.id))).toEqual(
      GUARDRAIL_IDS.map((id) => ({ id, strictOnly: STRICT_ONLY_GUARDRAILS.includes(id) })),
    );
  });
});
