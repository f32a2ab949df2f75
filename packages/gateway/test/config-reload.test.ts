import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type SluiceConfig } from '@sluice/config';
import { GatewayError } from '@sluice/gateway';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MysqlHarness, startMysqlHarness } from './support/mysql-harness.js';

const ALLOW_ALL = '    guardrails: standard\n    default: allow';
const BLOCK_HIDDEN = `${ALLOW_ALL}
    rules:
      - name: no-hidden
        match: { tables: [hidden_things] }
        action: block
    masking:
      detectors: [email]`;

let h: MysqlHarness;
let yaml: string;
beforeAll(async () => {
  h = await startMysqlHarness({ policyYaml: ALLOW_ALL });
  yaml = readFileSync(join(h.dir, 'sluice.yaml'), 'utf8');
});
afterAll(() => h?.close());

/** The harness's configuration with another `gate` policy, or with `edit` applied to its text. */
function configWith(
  policy: string,
  edit: (text: string) => string = (text) => text,
  password = h.db.appUser.password,
): SluiceConfig {
  const text = edit(yaml.replace(ALLOW_ALL, policy));
  const result = parseConfig(text, {
    file: join(h.dir, 'sluice.yaml'),
    env: { UPSTREAM_PASSWORD: password },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const EMAIL = "SELECT 'alice@example.com' AS contact";

describe('reloading the configuration of a running gateway (MySQL)', () => {
  it('judges an open session by the new policy from its next statement, and masks new sessions', async () => {
    const open = await mysql.createConnection(h.options());
    await expect(open.query('SELECT * FROM hidden_things')).rejects.toMatchObject({ errno: 1146 });
    expect(h.gateway.reload(configWith(ALLOW_ALL))).toEqual({
      connections: [],
      sessionsOnPreviousSettings: [],
    });

    // The connection masked nothing at start: the reload opens the catalog masking needs.
    // The open session keeps masking nothing; the result says so.
    const reloaded = h.gateway.reload(configWith(BLOCK_HIDDEN));
    expect(reloaded.connections).toEqual(['billing']);
    expect(reloaded.sessionsOnPreviousSettings).toHaveLength(1);
    const [unmasked] = await open.query(EMAIL);
    expect(unmasked).toEqual([{ contact: 'alice@example.com' }]);
    await expect(open.query('SELECT * FROM hidden_things')).rejects.toMatchObject({
      errno: 1227,
      message: expect.stringMatching(/^sluice: blocked by no-hidden: /),
    });
    const fresh = await mysql.createConnection(h.options());
    const [rows] = await fresh.query(EMAIL);
    expect((rows as { contact: string }[])[0]?.contact).not.toBe('alice@example.com');
    await fresh.end();
    const [still] = await open.query('SELECT 5 AS five');
    expect(still).toEqual([{ five: 5 }]);
    await open.end();
  });

  it('refuses a configuration that moves the upstream or changes its password, and keeps the policy in force', async () => {
    const moved = configWith(ALLOW_ALL, (text) =>
      text.replace(`:${h.db.port}/`, `:${h.db.port === 1 ? 2 : 1}/`),
    );
    const repassworded = configWith(ALLOW_ALL, undefined, 'another password');
    for (const next of [moved, repassworded]) {
      let refusal: unknown;
      try {
        h.gateway.reload(next);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(GatewayError);
      expect(refusal).toMatchObject({
        code: 'restart-needed',
        message: expect.stringMatching(
          /^restart needed: connection "billing": listen address, upstream or TLS/,
        ),
      });
      expect((refusal as Error).message).not.toContain('another password');
    }
    const connection = await mysql.createConnection(h.options());
    await expect(connection.query('SELECT * FROM hidden_things')).rejects.toMatchObject({ errno: 1227 });
    await connection.end();
  });
});
