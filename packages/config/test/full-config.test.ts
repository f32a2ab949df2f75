import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type SluiceConfig } from '../src/index.js';
import { configOf, ORDERS_CONNECTION, removeScratchDirs, scratchConfigDir } from './support/configs.js';

afterAll(removeScratchDirs);

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

const ENV = {
  SLUICE_ADMIN_TOKEN: 'admin-token-7f3a9c',
  ORDERS_DB_PASSWORD: 'orders-pass-41d2',
  SLUICE_HASH_KEY: 'hash-key-b8e1',
  ANALYTICS_PORT: '6434',
  ANALYTICS_DB_PASSWORD: 'analytics-pass-c5f0',
};

const SECRETS = [
  ENV.SLUICE_ADMIN_TOKEN,
  ENV.ORDERS_DB_PASSWORD,
  ENV.SLUICE_HASH_KEY,
  ENV.ANALYTICS_DB_PASSWORD,
  'billing-db-password',
];

function loadFull(): SluiceConfig {
  const result = loadConfig(`${fixtures}full.yaml`, ENV);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.config;
}

describe('the full example config', () => {
  it('loads with every section typed, secrets substituted and paths made absolute', () => {
    const config = loadFull();
    expect(config.file).toBe(`${fixtures}full.yaml`);
    expect(config.journal).toEqual({
      path: `${fixtures}sluice.db`,
      retentionMs: 400 * 86_400_000,
      sync: 'none',
      minFreeBytes: 128_000_000,
      recordRows: 20,
      forward: [],
      store: undefined,
      gatewayId: expect.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
    });
    expect(config.admin?.listen).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(config.admin?.token.reveal()).toBe('admin-token-7f3a9c');
    expect(config.identity.oidc).toEqual([
      {
        issuer: 'https://login.example.com/',
        audience: 'sluice',
        jwksUri: 'https://login.example.com/.well-known/jwks.json',
        jwksFile: undefined,
        groupsClaim: 'groups',
        identityClaim: 'sub',
      },
      {
        issuer: 'https://accounts.example.org',
        audience: 'sluice-ci',
        jwksUri: undefined,
        jwksFile: `${fixtures}jwks.json`,
        groupsClaim: 'roles',
        identityClaim: 'email',
      },
    ]);
  });

  it('lists connections in file order with their upstreams read from the URL', () => {
    const [orders, billing, analytics] = loadFull().connections;
    expect(loadFull().connections.map((connection) => connection.name)).toEqual([
      'orders',
      'billing',
      'analytics',
    ]);
    expect(orders).toMatchObject({
      protocol: 'postgres',
      listen: { host: '127.0.0.1', port: 6432 },
      tls: { cert: `${fixtures}tls/cert.pem`, key: `${fixtures}tls/key.pem` },
      policy: 'agents',
      upstream: {
        protocol: 'postgres',
        host: 'db.internal',
        port: 5432,
        user: 'sluice_svc',
        database: 'orders',
        sslMode: 'verify-full',
        sslRootCert: `${fixtures}tls/ca.pem`,
      },
    });
    expect(orders?.upstream.password?.reveal()).toBe('orders-pass-41d2');
    expect(billing).toMatchObject({
      protocol: 'mysql',
      listen: { host: '::1', port: 6033 },
      tls: undefined,
      upstream: {
        host: 'db.internal',
        port: 3306,
        user: 'sluice_svc',
        database: 'billing',
        sslMode: 'disable',
      },
    });
    // file: content loses its trailing newlines, nothing else.
    expect(billing?.upstream.password?.reveal()).toBe('billing-db-password');
    expect(analytics).toMatchObject({
      listen: { host: 'localhost', port: 6434 },
      policy: undefined,
      upstream: { host: 'fd00::5', port: 6543, user: 'reader', database: 'warehouse' },
    });
    expect(analytics?.upstream.password?.reveal()).toBe('analytics-pass-c5f0');
  });

  it('reads policies with their rules, masking and approval', () => {
    const { policies } = loadFull();
    expect([...policies.keys()]).toEqual(['agents', 'readonly']);
    const agents = policies.get('agents');
    expect(agents).toMatchObject({ name: 'agents', guardrails: 'standard', default: 'block' });
    expect(agents?.rules).toEqual([
      { name: 'ci-may-insert', match: { groups: ['ci'], kind: ['insert'] }, action: 'allow' },
      {
        name: 'writes-need-approval',
        match: { kind: ['insert', 'update', 'delete'], connections: ['orders', 'billing'] },
        action: 'approve',
      },
      {
        name: 'no-payroll',
        match: { tables: ['payroll.*'], functions: ['pg_read_file'], identities: ['ci-bot'] },
        action: 'block',
      },
    ]);
    expect(agents?.masking).toMatchObject({
      columns: [
        { match: '*.email', strategy: 'email' },
        { match: 'users.ssn', strategy: 'redact' },
        { match: '*.card_number', strategy: 'last4' },
        { match: '*.phone', strategy: 'hash' },
        { match: 'users.birth_date', strategy: 'null' },
      ],
      detectors: ['email', 'credit_card', 'us_ssn', 'phone', 'iban', 'secret'],
      exempt: { groups: ['dba'] },
    });
    expect(agents?.masking?.hashKey?.reveal()).toBe('hash-key-b8e1');
    expect(agents?.approval).toEqual({
      mode: 'hold',
      timeoutMs: 600_000,
      ticketTtlMs: 3_600_000,
      minApprovals: 1,
      approvers: { identities: [], groups: ['dba'] },
      webhook: 'https://hooks.example.com/sluice',
    });
    expect(policies.get('readonly')).toEqual({
      name: 'readonly',
      guardrails: 'strict',
      maxStatementTimeMs: 300_000,
      rules: [{ name: 'reads-only', match: { kind: ['select', 'show'] }, action: 'allow' }],
      default: 'allow',
      masking: undefined,
      approval: undefined,
    });
  });

  it('shows no secret when the loaded config is logged or serialised', () => {
    const config = loadFull();
    const printed = [JSON.stringify(config), inspect(config, { depth: null }), `${config.admin?.token}`].join(
      '\n',
    );
    expect(printed).toContain('[secret]');
    for (const secret of SECRETS) expect(printed).not.toContain(secret);
  });
});

describe('defaults', () => {
  it('fills in everything a minimal config leaves out', () => {
    const dir = scratchConfigDir();
    const config = configOf([...ORDERS_CONNECTION], { dir });
    expect(config.journal).toEqual({
      path: `${dir}/sluice.db`,
      retentionMs: 400 * 86_400_000,
      sync: 'none',
      minFreeBytes: 128_000_000,
      recordRows: 20,
      forward: [],
      store: undefined,
      gatewayId: expect.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
    });
    expect(config.admin).toBeUndefined();
    expect(config.identity.oidc).toEqual([]);
    expect(config.policies.size).toBe(0);
    expect(config.connections[0]).toEqual({
      name: 'orders',
      protocol: 'postgres',
      listen: { host: '127.0.0.1', port: 6432 },
      proxyProtocolFrom: [],
      tls: undefined,
      policy: undefined,
      upstream: {
        protocol: 'postgres',
        host: 'db.internal',
        port: 5432,
        user: 'svc',
        database: 'orders',
        password: undefined,
        sslMode: 'disable',
        sslRootCert: undefined,
      },
    });
  });

  it('gives a policy strict guardrails, no rules, allow by default, and approvals held for 5 minutes by one approver', () => {
    const config = configOf([
      ...ORDERS_CONNECTION,
      'policies:',
      '  agents:',
      '    masking: { columns: [] }',
      '    approval: { approvers: { groups: [dba] } }',
    ]);
    expect(config.policies.get('agents')).toEqual({
      name: 'agents',
      guardrails: 'strict',
      maxStatementTimeMs: 300_000,
      rules: [],
      default: 'allow',
      masking: { columns: [], detectors: [], exempt: { groups: [] }, hashKey: undefined },
      approval: {
        mode: 'hold',
        timeoutMs: 300_000,
        ticketTtlMs: 3_600_000,
        minApprovals: 1,
        approvers: { identities: [], groups: ['dba'] },
        webhook: undefined,
      },
    });
  });

  it('keeps file order for connection names that look like numbers', () => {
    const connection = (name: string, port: number): string[] => [
      `  ${name}:`,
      '    protocol: mysql',
      `    listen: 127.0.0.1:${port}`,
      '    upstream: mysql://svc@db/app',
    ];
    const config = configOf([
      'connections:',
      ...connection('zeta', 1),
      ...connection('10', 2),
      ...connection('a', 3),
    ]);
    expect(config.connections.map((c) => c.name)).toEqual(['zeta', '10', 'a']);
  });

  it('reads record_rows substituted from the environment as a number', () => {
    const config = configOf(['journal:', `  record_rows: \${ROWS}`, ...ORDERS_CONNECTION], {
      env: { ROWS: '0' },
    });
    expect(config.journal.recordRows).toBe(0);
  });

  it('accepts listeners on port 0 more than once, since each gets its own free port', () => {
    const config = configOf([
      'connections:',
      '  a: { protocol: postgres, listen: 127.0.0.1:0, upstream: postgres://u@h/a }',
      '  b: { protocol: postgres, listen: 127.0.0.1:0, upstream: postgres://u@h/b }',
    ]);
    expect(config.connections.map((c) => c.listen.port)).toEqual([0, 0]);
  });
});
