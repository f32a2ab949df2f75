import { afterAll, describe, expect, it } from 'vitest';
import { configOf, located, ORDERS_CONNECTION, problemsOf, removeScratchDirs } from './support/configs.js';

afterAll(removeScratchDirs);

describe('YAML syntax', () => {
  it('reports a syntax error at its position and nothing derived from it', () => {
    const problems = problemsOf([
      'connections:',
      '  orders:',
      '    listen: [127.0.0.1:6432',
      '    protocol: postgres',
    ]);
    expect(problems.map(located)).toEqual([
      '4:5 : YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('refuses a key written twice in one mapping', () => {
    const problems = problemsOf([...ORDERS_CONNECTION, '    listen: 127.0.0.1:7000']);
    expect(problems.map(located)).toEqual(['6:5 : YAML syntax: Map keys must be unique']);
  });
});

describe('structure', () => {
  it('points at an unknown key, suggests the closest allowed one and lists all of them', () => {
    const problems = problemsOf([...ORDERS_CONNECTION, '    polcy: agents']);
    expect(problems.map(located)).toEqual([
      '6:5 connections.orders.polcy: unknown key "polcy" (did you mean "policy"?); ' +
        'allowed keys: protocol, listen, proxy_protocol_from, upstream, upstream_password, tls, policy',
    ]);
  });

  it('reports each unknown key of a mapping on its own line', () => {
    const problems = problemsOf(['jurnal: {}', 'colour: blue', ...ORDERS_CONNECTION]);
    expect(problems.map((problem) => `${problem.line} ${problem.path}`)).toEqual(['1 jurnal', '2 colour']);
    expect(problems[0]?.message).toContain('did you mean "journal"?');
    expect(problems[1]?.message).toContain('allowed keys: journal, admin, identity, connections, policies');
  });

  it('reports a missing key at the mapping that lacks it', () => {
    const problems = problemsOf([
      'connections:',
      '  orders:',
      '    protocol: postgres',
      '    listen: 127.0.0.1:6432',
    ]);
    expect(problems.map(located)).toEqual([
      '3:5 connections.orders.upstream: missing; expected a URL such as postgres://user@host:5432/database ' +
        'or mysql://user@host:3306/database',
    ]);
  });

  it('requires at least one connection', () => {
    expect(problemsOf(['journal: { retention: 30d }']).map(located)).toEqual([
      '1:1 connections: missing; expected a mapping of connection names to their settings',
    ]);
    expect(problemsOf(['connections: {}']).map(located)).toEqual([
      '1:14 connections: expected at least one connection, such as orders: { protocol, listen, upstream }',
    ]);
  });

  it('points at the key of a section written with no value', () => {
    expect(problemsOf(['admin:', ...ORDERS_CONNECTION]).map(located)).toEqual([
      '1:1 admin: expected a mapping with keys listen, forwarded_from, token, tls, admins, approvers, auditors, webhooks, oidc',
    ]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(problemsOf(['- a', '- b']).map(located)).toEqual([
      '1:1 : expected a mapping with keys journal, admin, identity, connections, policies, limits',
    ]);
  });

  it('names the allowed values of an enumerated field', () => {
    const problems = problemsOf([
      ...ORDERS_CONNECTION,
      'policies:',
      '  agents:',
      '    guardrails: lax',
      '    rules:',
      '      - { name: r, match: { kind: [selec] }, action: deny }',
    ]);
    expect(problems.map(located)).toEqual([
      '8:17 policies.agents.guardrails: expected one of strict, standard, off',
      '10:36 policies.agents.rules[0].match.kind[0]: expected one of select, insert, update, delete, merge, ' +
        'ddl, dcl, tcl, copy, call, set, show, other',
      '10:54 policies.agents.rules[0].action: expected one of allow, block, approve',
    ]);
  });

  it('wants lists where lists are expected and says which', () => {
    const problems = problemsOf([
      ...ORDERS_CONNECTION,
      'policies:',
      '  agents:',
      '    rules:',
      '      - { name: r, match: { tables: payroll }, action: block }',
    ]);
    expect(problems.map(located)).toEqual([
      '9:37 policies.agents.rules[0].match.tables: expected a list such as [payroll.*, public.users]',
    ]);
  });
});

describe('values', () => {
  it('explains a malformed listen address', () => {
    const problems = problemsOf(['connections:', '  orders:', '    protocol: postgres', '    listen: 6432']);
    expect(problems.map(located)).toContain(
      '4:13 connections.orders.listen: expected host:port such as 127.0.0.1:6432',
    );
    const outOfRange = problemsOf(['admin: { listen: "127.0.0.1:70000", token: t }', ...ORDERS_CONNECTION]);
    expect(outOfRange.map(located)).toEqual([
      '1:18 admin.listen: expected host:port such as 127.0.0.1:6432 or [::1]:6432, port 0 to 65535',
    ]);
  });

  it('reads the balancers of proxy_protocol_from and points at an entry that is not an address or range', () => {
    const config = configOf([
      ...ORDERS_CONNECTION,
      '    proxy_protocol_from: [10.0.4.2, 10.0.5.0/24, "fd00::/8"]',
    ]);
    expect(config.connections[0]?.proxyProtocolFrom).toEqual([
      { address: '10.0.4.2', prefix: 32, family: 'ipv4' },
      { address: '10.0.5.0', prefix: 24, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
    ]);
    for (const bad of [
      'haproxy.internal',
      '10.0.5.0/33',
      '10.0.5.0/',
      '10.0.5.0/24/1',
      '::1/129',
      '10.0.0.1/08',
    ]) {
      const problems = problemsOf([...ORDERS_CONNECTION, `    proxy_protocol_from: [10.0.4.2, "${bad}"]`]);
      expect(problems.map(located), bad).toEqual([
        '6:37 connections.orders.proxy_protocol_from[1]: expected an address or CIDR range such as 10.0.4.2 or 10.0.5.0/24',
      ]);
    }
    expect(problemsOf([...ORDERS_CONNECTION, '    proxy_protocol_from: [12]']).map(located)).toEqual([
      '6:27 connections.orders.proxy_protocol_from[0]: expected an address or CIDR range such as 10.0.4.2 or 10.0.5.0/24',
    ]);
    expect(problemsOf([...ORDERS_CONNECTION, '    proxy_protocol_from: 10.0.4.2']).map(located)).toEqual([
      '6:26 connections.orders.proxy_protocol_from: expected a list of addresses or CIDR ranges such as [10.0.4.2, 10.0.5.0/24]',
    ]);
  });

  it('requires a unit on durations', () => {
    const problems = problemsOf(['journal:', '  retention: 30', ...ORDERS_CONNECTION]);
    expect(problems.map(located)).toEqual([
      '2:14 journal.retention: expected a number with a unit s, m, h or d, such as 30s, 5m, 2h or 400d',
    ]);
    expect(problemsOf(['journal: { retention: 0d }', ...ORDERS_CONNECTION])[0]?.message).toBe(
      'must be longer than 0, such as 30s',
    );
  });

  it('refuses a negative or fractional row count', () => {
    expect(problemsOf(['journal: { record_rows: -1 }', ...ORDERS_CONNECTION]).map(located)).toEqual([
      '1:25 journal.record_rows: expected a whole number of rows such as 20 (0 keeps none)',
    ]);
    expect(problemsOf(['journal: { record_rows: 2.5 }', ...ORDERS_CONNECTION])).toHaveLength(1);
  });

  it('refuses a sync mode it does not know and a free-space floor without a unit', () => {
    expect(problemsOf(['journal: { sync: sometimes }', ...ORDERS_CONNECTION]).map(located)).toEqual([
      '1:18 journal.sync: expected one of none, always',
    ]);
    expect(problemsOf(['journal: { min_free_space: 500 }', ...ORDERS_CONNECTION]).map(located)).toEqual([
      '1:28 journal.min_free_space: expected a number with a unit B, KB, MB, GB, KiB, MiB or GiB, such as 512MB or 1GiB',
    ]);
    expect(
      configOf(['journal: { sync: always, min_free_space: 1GiB }', ...ORDERS_CONNECTION]).journal,
    ).toMatchObject({
      sync: 'always',
      minFreeBytes: 1024 ** 3,
    });
  });

  it('refuses an empty string where a name is needed', () => {
    const problems = problemsOf([...ORDERS_CONNECTION, '    policy: ""']);
    expect(problems.map(located)).toEqual([
      '6:13 connections.orders.policy: is empty; expected the name of a policy defined under policies',
    ]);
  });

  it('wants http(s) URLs for issuers and webhooks', () => {
    const problems = problemsOf([
      'identity:',
      '  oidc:',
      '    - { issuer: login.example.com, audience: sluice, jwks_uri: https://login.example.com/jwks }',
      ...ORDERS_CONNECTION,
      'policies:',
      '  agents:',
      '    approval: { approvers: { groups: [dba] }, webhook: ftp://hooks.example.com }',
    ]);
    expect(problems.map(located)).toEqual([
      '3:17 identity.oidc[0].issuer: expected the issuer URL such as https://login.example.com/',
      '11:56 policies.agents.approval.webhook: expected an http(s) URL such as https://hooks.example.com/sluice',
    ]);
  });
});
