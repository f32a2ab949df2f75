import { afterAll, describe, expect, it } from 'vitest';
import { configOf, located, ORDERS_CONNECTION, problemsOf, removeScratchDirs } from './support/configs.js';

afterAll(removeScratchDirs);

const withLimits = (...lines: string[]) => [...ORDERS_CONNECTION, 'limits:', ...lines];

describe('limits', () => {
  it('has safe defaults when the section is absent', () => {
    expect(configOf([...ORDERS_CONNECTION]).limits).toEqual({
      maxConnections: 1000,
      maxConnectionsPerIdentity: 100,
      statementsPerSecond: null,
      statementBurst: null,
      handshakeTimeoutMs: 10_000,
      idleSessionTimeoutMs: null,
      maxPendingApprovalsPerIdentity: 100,
      maxMessageBytes: 64 * 1024 * 1024,
      maxStatementBytes: 32 * 1024 * 1024,
      maxMaskedRowBytes: 64 * 1024 * 1024,
    });
  });

  it('reads every limit, with units', () => {
    const limits = configOf(
      withLimits(
        '  max_connections: 50',
        '  max_connections_per_identity: 5',
        '  statements_per_second: 2.5',
        '  statement_burst: 10',
        '  handshake_timeout: 3s',
        '  idle_session_timeout: 15m',
        '  max_pending_approvals_per_identity: 2',
        '  max_message_size: 8MiB',
        '  max_statement_size: 512KiB',
        '  max_masked_row_size: 1GiB',
      ),
    ).limits;
    expect(limits).toEqual({
      maxConnections: 50,
      maxConnectionsPerIdentity: 5,
      statementsPerSecond: 2.5,
      statementBurst: 10,
      handshakeTimeoutMs: 3000,
      idleSessionTimeoutMs: 900_000,
      maxPendingApprovalsPerIdentity: 2,
      maxMessageBytes: 8 * 1024 * 1024,
      maxStatementBytes: 512 * 1024,
      maxMaskedRowBytes: 1024 ** 3,
    });
  });

  it('turns limits off with off, and sizes the burst to one second of the rate by default', () => {
    const limits = configOf(
      withLimits(
        '  max_connections: off',
        '  max_connections_per_identity: off',
        '  max_pending_approvals_per_identity: off',
        '  statements_per_second: 2.5',
      ),
    ).limits;
    expect(limits.maxConnections).toBeNull();
    expect(limits.maxConnectionsPerIdentity).toBeNull();
    expect(limits.maxPendingApprovalsPerIdentity).toBeNull();
    expect(limits.statementBurst).toBe(3);
  });

  it('reads limits from environment variables', () => {
    const limits = configOf(withLimits(`  max_connections: \${MAX_CONNECTIONS}`), {
      env: { MAX_CONNECTIONS: '25' },
    }).limits;
    expect(limits.maxConnections).toBe(25);
  });

  it('refuses wrong values with the YAML path, what is wrong and what would be right', () => {
    const problems = problemsOf(
      withLimits(
        '  max_connections: 0',
        '  statements_per_second: fast',
        '  handshake_timeout: 500',
        '  max_message_size: 64 megabytes',
        '  max_statement_size: 10B',
        '  idle_session_timeout: 0s',
      ),
    ).map(located);
    expect(problems).toEqual([
      '7:20 limits.max_connections: expected a whole number of client connections such as 1000, or off',
      '8:26 limits.statements_per_second: expected statements per second per identity, such as 50, or off',
      expect.stringMatching(/^9:22 limits\.handshake_timeout: expected a number with a unit s, m, h or d/),
      '10:21 limits.max_message_size: expected a number with a unit B, KB, MB, GB, KiB, MiB or GiB, such as 512MB or 1GiB',
      '11:23 limits.max_statement_size: must be at least 1024 bytes, such as 1MiB',
      '12:25 limits.idle_session_timeout: expected a number with a unit s, m, h or d, such as 30s, 5m, 2h or 400d, or off',
    ]);
  });

  it('refuses a zero handshake timeout and an unknown key, naming the closest', () => {
    const problems = problemsOf(withLimits('  handshake_timeout: 0s', '  max_conections: 5')).map(located);
    expect(problems).toEqual([
      expect.stringMatching(/^7:\d+ limits\.handshake_timeout: must be longer than 0/),
      expect.stringMatching(
        /^8:3 limits\.max_conections: unknown key "max_conections" \(did you mean "max_connections"\?\)/,
      ),
    ]);
  });
});
