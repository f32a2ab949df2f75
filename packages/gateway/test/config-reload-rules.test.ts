import { parseConfig, type SluiceConfig } from '@sluice/config';
import { describe, expect, it } from 'vitest';
import { restartNeeded, samePolicy } from '../src/config-reload.js';

const BASE = `journal:
  path: /var/lib/sluice/journal.db
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:6432
    upstream: postgres://svc@db.internal:5432/orders
    upstream_password: \${PASSWORD}
    policy: agents
  billing:
    protocol: mysql
    listen: 127.0.0.1:6033
    upstream: mysql://svc@db.internal:3306/billing
    upstream_password: \${PASSWORD}
    policy: agents
policies:
  agents:
    guardrails: standard
  readers:
    guardrails: strict
`;

function config(yaml: string, password = 'secret-one'): SluiceConfig {
  const result = parseConfig(yaml, { file: '/etc/sluice/sluice.yaml', env: { PASSWORD: password } });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

describe('what a reload may change', () => {
  it('takes policies and which policy a connection names', () => {
    const next = config(
      BASE.replace('    policy: agents\n  billing', '    policy: readers\n  billing').replace(
        'guardrails: standard',
        'guardrails: off',
      ),
    );
    expect(restartNeeded(config(BASE), next)).toEqual([]);
  });

  it('needs a restart for listeners, upstreams, passwords, connections, the journal and issuers', () => {
    const running = config(BASE);
    const cases: [string, SluiceConfig, RegExp][] = [
      ['listen', config(BASE.replace('6432', '6433')), /connection "orders": listen address/],
      ['upstream', config(BASE.replace('db.internal:3306', 'db2.internal:3306')), /connection "billing"/],
      [
        'password',
        config(BASE, 'secret-two'),
        /connection "orders": listen address, upstream or TLS changed/,
      ],
      [
        'protocol',
        config(BASE.replace('protocol: mysql', 'protocol: postgres').replace('mysql://', 'postgres://')),
        /billing/,
      ],
      ['journal', config(BASE.replace('journal.db', 'other.db')), /^journal settings changed$/],
      [
        'connections',
        config(BASE.replace(/ {2}billing:[\s\S]*?policy: agents\n/, '')),
        /^connections changed/,
      ],
      [
        'identity',
        config(
          BASE.replace(
            'connections:',
            'identity:\n  oidc:\n    - issuer: https://login.example.com/\n      audience: sluice\n      jwks_uri: https://login.example.com/jwks.json\nconnections:',
          ),
        ),
        /^identity issuers changed$/,
      ],
    ];
    for (const [what, next, reason] of cases) {
      const reasons = restartNeeded(running, next);
      expect(reasons.length, what).toBeGreaterThan(0);
      expect(reasons.join('\n'), what).toMatch(reason);
      expect(reasons.join('\n'), what).not.toContain('secret-');
    }
  });

  it('compares policies by what they say, not by which parse made them', () => {
    const a = config(BASE).policies.get('agents');
    const b = config(BASE).policies.get('agents');
    const c = config(BASE).policies.get('readers');
    if (!a || !b || !c) throw new Error('policies missing');
    expect(a).not.toBe(b);
    expect(samePolicy(a, b)).toBe(true);
    expect(samePolicy(a, c)).toBe(false);
  });
});
