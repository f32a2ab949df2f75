import { join } from 'node:path';
import { parseConfig } from '@sluice/config';
import { scratchDir } from '@sluice/testkit';
import { describe, expect, it } from 'vitest';
import { ConsoleOidc } from '../src/console-oidc.js';

function configWith(identityOidc: string) {
  const dir = scratchDir('sluice-console-oidc-');
  const yaml = `
journal:
  path: ${join(dir, 'journal.db')}
admin:
  listen: 127.0.0.1:0
  oidc:
    issuer: https://login.example.com/
    client_id: sluice-console
    authorization_endpoint: https://login.example.com/authorize
    token_endpoint: https://login.example.com/token
identity:
  oidc:
${identityOidc}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://sluice@127.0.0.1:5432/orders
    policy: gate
policies:
  gate:
    guardrails: standard
`;
  const parsed = parseConfig(yaml, { file: join(dir, 'sluice.yaml'), env: {} });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

describe('the console’s OIDC settings', () => {
  it('refuses an issuer whose ID tokens the API could not verify', () => {
    const config = configWith(
      '    - issuer: https://login.example.com/\n      audience: sluice\n      jwks_uri: https://login.example.com/jwks',
    );
    expect(() => ConsoleOidc.fromConfig(config)).toThrow(
      /identity.oidc has no issuer https:\/\/login.example.com\/ with audience sluice-console/,
    );
  });

  it('gives the console the client and its authorization endpoint, never a secret', async () => {
    const config = configWith(
      '    - issuer: https://login.example.com\n      audience: sluice-console\n      jwks_uri: https://login.example.com/jwks',
    );
    const oidc = ConsoleOidc.fromConfig(config);
    expect(await oidc?.signIn()).toEqual({
      oidc: {
        issuer: 'https://login.example.com/',
        client_id: 'sluice-console',
        scopes: ['openid', 'profile', 'email'],
        authorization_endpoint: 'https://login.example.com/authorize',
      },
    });
  });
});
