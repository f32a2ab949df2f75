// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax these tests feed in
import { format, inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, Secret } from '../src/index.js';
import { problemsOf, removeScratchDirs, scratchConfigDir } from './support/configs.js';

afterAll(removeScratchDirs);

describe('Secret', () => {
  const secret = new Secret('s3cr3t-value');

  it('gives its value only through reveal()', () => {
    expect(secret.reveal()).toBe('s3cr3t-value');
  });

  it('prints as [secret] however it is turned into text', () => {
    expect(String(secret)).toBe('[secret]');
    expect(`${secret}`).toBe('[secret]');
    expect(JSON.stringify({ password: secret })).toBe('{"password":"[secret]"}');
    expect(inspect(secret)).toBe('[secret]');
    expect(inspect({ nested: { secret } }, { depth: null, showHidden: true })).not.toContain('s3cr3t-value');
    expect(format('%s %o %j', secret, secret, secret)).not.toContain('s3cr3t-value');
  });
});

describe('problems of a config whose secrets are set', () => {
  const secrets = {
    ADMIN_TOKEN: 'admin-token-e41b',
    ORDERS_PASSWORD: 'orders-password-93ac',
    HASH_KEY: 'hash-key-07d5',
    URL_PASSWORD: 'url-password-6f2e',
  };
  const fileSecret = 'file-secret-c1a8';

  it('never echo a secret value', () => {
    const dir = scratchConfigDir({ 'secrets/billing': `${fileSecret}\n` });
    const problems = problemsOf(
      [
        'admin:',
        '  listen: nowhere',
        '  token: ${ADMIN_TOKEN}',
        '  tokn: ${ADMIN_TOKEN}',
        'connections:',
        '  orders:',
        '    protocol: mysql',
        '    listen: 127.0.0.1:6432',
        '    upstream: postgres://svc:${URL_PASSWORD}@db:99999/orders/extra?sslmode=${HASH_KEY}',
        '    upstream_password: ${ORDERS_PASSWORD}',
        '  billing:',
        '    protocol: mysql',
        '    listen: 127.0.0.1:6033',
        '    upstream: ${URL_PASSWORD}',
        '    upstream_password: file:./secrets/billing',
        '    tls: file:./secrets/billing',
        'policies:',
        '  agents:',
        '    guardrails: ${HASH_KEY}',
        '    masking: { hash_key: 12345, detectors: [file:./secrets/billing] }',
      ],
      { dir, env: secrets },
    );
    expect(problems.length).toBeGreaterThanOrEqual(8);
    const reported = [JSON.stringify(problems), ...problems.map(formatProblem)].join('\n');
    for (const value of [...Object.values(secrets), fileSecret]) expect(reported).not.toContain(value);
  });

  it('do not quote the source line of a YAML syntax error, which may hold a literal secret', () => {
    const problems = problemsOf(['admin:', '  token: "literal-secret-5d9a', 'connections: {}']);
    expect(problems).toHaveLength(1);
    expect(JSON.stringify(problems)).not.toContain('literal-secret-5d9a');
  });
});
