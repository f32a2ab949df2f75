import { afterAll, describe, expect, it } from 'vitest';
import {
  located,
  ORDERS_CONNECTION,
  problemsOf,
  removeScratchDirs,
  scratchConfigDir,
} from './support/configs.js';

afterAll(removeScratchDirs);

describe('upstream URL', () => {
  const withUpstream = (protocol: string, upstream: string): string[] => [
    'connections:',
    '  orders:',
    `    protocol: ${protocol}`,
    '    listen: 127.0.0.1:6432',
    `    upstream: ${upstream}`,
  ];

  it('must use the scheme of the protocol', () => {
    expect(problemsOf(withUpstream('postgres', 'mysql://svc@db/orders')).map(located)).toEqual([
      '5:15 connections.orders.upstream: is a mysql:// URL but protocol is postgres; use postgres:// or postgresql://',
    ]);
    expect(problemsOf(withUpstream('mysql', 'postgresql://svc@db/orders')).map(located)).toEqual([
      '5:15 connections.orders.upstream: is a postgresql:// URL but protocol is mysql; use mysql://',
    ]);
  });

  it('names the schemes it supports', () => {
    expect(problemsOf(withUpstream('postgres', 'redis://svc@db/orders'))[0]?.message).toBe(
      'unsupported scheme redis://; use postgres://, postgresql:// or mysql://',
    );
    expect(problemsOf(withUpstream('postgres', 'db.internal:5432'))[0]?.message).toBe(
      'expected a URL such as postgres://user@host:5432/database or mysql://user@host:3306/database',
    );
  });

  it('needs a user and a database', () => {
    expect(
      problemsOf(withUpstream('mysql', 'mysql://db.internal:3306')).map((problem) => problem.message),
    ).toEqual([
      'has no user; expected mysql://USER@host/database',
      'expected one database name after the host, as in mysql://user@host/DATABASE',
    ]);
  });

  it('checks the query parameters it understands and refuses the others', () => {
    const problems = problemsOf(
      withUpstream('postgres', 'postgres://svc@db/orders?sslmode=maybe&ssl=1&sslrootcert=./missing-ca.pem'),
    );
    expect(problems.map((problem) => problem.message)).toEqual([
      'unknown URL parameter "ssl"; allowed parameters: sslmode, sslrootcert',
      'sslmode must be one of disable, prefer, require, verify-ca, verify-full',
      expect.stringMatching(/^sslrootcert file \/.*\/missing-ca\.pem does not exist/),
    ]);
  });

  it('refuses a password given both in the URL and in upstream_password', () => {
    const problems = problemsOf([
      ...withUpstream('postgres', 'postgres://svc:pw@db/orders'),
      '    upstream_password: pw',
    ]);
    expect(problems.map(located)).toEqual([
      '6:24 connections.orders.upstream_password: the upstream URL already holds a password; ' +
        'keep only one of them (upstream_password is safer)',
    ]);
  });
});

describe('cross-field checks', () => {
  it('needs the policy a connection names to be defined', () => {
    const problems = problemsOf([
      ...ORDERS_CONNECTION,
      '    policy: agnets',
      'policies:',
      '  agents: {}',
      '  readonly: {}',
    ]);
    expect(problems.map(located)).toEqual([
      '6:13 connections.orders.policy: no policy named "agnets"; did you mean "agents"? ' +
        'defined policies: agents, readonly',
    ]);
    expect(problemsOf([...ORDERS_CONNECTION, '    policy: agents'])[0]?.message).toBe(
      'no policy named "agents"; there are no policies defined',
    );
  });

  it('refuses two listeners on one address, including the admin API', () => {
    const problems = problemsOf([
      'admin: { listen: 127.0.0.1:6432, token: t }',
      ...ORDERS_CONNECTION,
      '  billing:',
      '    protocol: mysql',
      '    listen: 127.0.0.1:6432',
      '    upstream: mysql://svc@db/billing',
    ]);
    expect(problems.map(located)).toEqual([
      '1:18 admin.listen: 127.0.0.1:6432 is already the listen address of connections.orders.listen; use another port',
      '9:13 connections.billing.listen: 127.0.0.1:6432 is already the listen address of ' +
        'connections.orders.listen; use another port',
    ]);
  });

  it('needs both TLS files, and both must exist', () => {
    const dir = scratchConfigDir({ 'tls/cert.pem': 'certificate' });
    const missingKey = problemsOf([...ORDERS_CONNECTION, '    tls: { cert: ./tls/cert.pem }'], { dir });
    expect(missingKey.map(located)).toEqual([
      '6:10 connections.orders.tls.key: missing; expected the PEM private key of that certificate, such as ./tls/key.pem',
    ]);
    const absentFile = problemsOf(
      [...ORDERS_CONNECTION, '    tls: { cert: ./tls/cert.pem, key: ./tls/key.pem }'],
      {
        dir,
      },
    );
    expect(absentFile.map(located)).toEqual([
      `6:39 connections.orders.tls.key: file ${dir}/tls/key.pem does not exist; ` +
        'expected the PEM private key of that certificate, such as ./tls/key.pem',
    ]);
  });

  it('needs exactly one key source per OIDC issuer', () => {
    const dir = scratchConfigDir({ 'jwks.json': '{"keys":[]}' });
    const problems = problemsOf(
      [
        'identity:',
        '  oidc:',
        '    - issuer: https://a.example/',
        '      audience: sluice',
        '    - issuer: https://b.example/',
        '      audience: sluice',
        '      jwks_uri: https://b.example/jwks',
        '      jwks_file: ./jwks.json',
        ...ORDERS_CONNECTION,
      ],
      { dir },
    );
    const message =
      'give exactly one of jwks_uri (keys fetched from the issuer) or jwks_file (keys in a local file)';
    expect(problems.map(located)).toEqual([
      `3:7 identity.oidc[0]: ${message}`,
      `5:7 identity.oidc[1]: ${message}`,
    ]);
  });

  it('refuses the same issuer twice', () => {
    const issuer = '    - { issuer: https://a.example/, audience: sluice, jwks_uri: https://a.example/jwks }';
    const problems = problemsOf(['identity:', '  oidc:', issuer, issuer, ...ORDERS_CONNECTION]);
    expect(problems.map(located)).toEqual([
      '4:17 identity.oidc[1].issuer: this issuer is already configured in identity.oidc[0]; merge the two',
    ]);
  });

  it('wants rule names unique within a policy and rule connections defined', () => {
    const problems = problemsOf([
      ...ORDERS_CONNECTION,
      'policies:',
      '  agents:',
      '    rules:',
      '      - { name: writes, match: { connections: [ordrs] }, action: approve }',
      '      - { name: writes, match: {}, action: block }',
    ]);
    expect(problems.map(located)).toEqual([
      '9:48 policies.agents.rules[0].match.connections[0]: no connection named "ordrs"; did you mean "orders"? ' +
        'defined connections: orders',
      '10:17 policies.agents.rules[1].name: rules[0] already has this name; rule names must be unique',
    ]);
  });
});

describe('patterns in rules and masking', () => {
  it('takes connection globs as rules match them, and names one that matches nothing', () => {
    const problems = problemsOf([
      ...ORDERS_CONNECTION,
      'policies:',
      '  agents:',
      '    rules:',
      '      - { name: any-order, match: { connections: ["ord*", "ORDERS"] }, action: approve }',
      '      - { name: billing, match: { connections: ["billing-*"] }, action: block }',
    ]);
    expect(problems.map(located)).toEqual([
      '10:49 policies.agents.rules[1].match.connections[0]: "billing-*" matches no connection; ' +
        'defined connections: orders',
    ]);
  });

  it('reports masking column patterns that masking would read as something else', () => {
    const problems = problemsOf([
      ...ORDERS_CONNECTION,
      'policies:',
      '  agents:',
      '    masking:',
      '      columns:',
      '        - { match: "db.public.users.ssn", strategy: redact }',
      '        - { match: "users.", strategy: redact }',
      '        - { match: "*.email", strategy: email }',
    ]);
    expect(problems.map(located)).toEqual([
      '10:20 policies.agents.masking.columns[0].match: "db.public.users.ssn" has 4 parts; expected table.column or schema.table.column',
      '11:20 policies.agents.masking.columns[1].match: "users." has an empty part; use * for any',
    ]);
  });
});

describe('collecting problems', () => {
  it('lists every problem of the file, ordered by position', () => {
    const problems = problemsOf([
      'journal: { retention: forever }',
      'connections:',
      '  orders:',
      '    protocol: oracle',
      '    listen: nowhere',
      '    upstream: postgres://svc@db/orders',
      '    policy: missing',
    ]);
    expect(problems.map((problem) => `${problem.line} ${problem.path}`)).toEqual([
      '1 journal.retention',
      '4 connections.orders.protocol',
      '5 connections.orders.listen',
      '7 connections.orders.policy',
    ]);
    expect(problems.every((problem) => problem.file.endsWith('/sluice.yaml'))).toBe(true);
  });
});
