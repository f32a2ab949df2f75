import { z } from 'zod';
import { parseByteSize, SIZE_EXAMPLE } from '../byte-size.js';
import { duration, durationOrOff, expecting, section } from './fields.js';

/** Accepts `20`, `"20"` (after `${VAR}` substitution) or `off` (null); zero is refused: use off. */
function countOrOff(expected: string) {
  const full = `${expected}, or off`;
  return z.union([z.number(), z.string()], expecting(full)).transform((value, context) => {
    if (value === 'off') return null;
    const number = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(number) && number >= 1) return number;
    context.addIssue({ code: 'custom', message: `expected ${full}` });
    return z.NEVER;
  });
}

/** A rate such as `50` or `0.5` per second, or `off` (null). */
function rateOrOff(expected: string) {
  const full = `${expected}, or off`;
  return z.union([z.number(), z.string()], expecting(full)).transform((value, context) => {
    if (value === 'off') return null;
    const number =
      typeof value === 'number' ? value : /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isFinite(number) && number > 0) return number;
    context.addIssue({ code: 'custom', message: `expected ${full}` });
    return z.NEVER;
  });
}

/** A byte size with a unit, at least `minimum` bytes. */
function size(minimum: number) {
  return z.string(expecting(SIZE_EXAMPLE)).transform((value, context) => {
    const bytes = parseByteSize(value);
    if (bytes !== undefined && bytes >= minimum) return bytes;
    const message =
      bytes === undefined ? `expected ${SIZE_EXAMPLE}` : `must be at least ${minimum} bytes, such as 1MiB`;
    context.addIssue({ code: 'custom', message });
    return z.NEVER;
  });
}

/** Gateway-wide limits (`limits:`); every one has a default that is safe for a busy gateway. */
export const limitsSchema = section({
  max_connections: countOrOff('a whole number of client connections such as 1000').prefault(1000),
  max_connections_per_identity: countOrOff('a whole number of sessions such as 100').prefault(100),
  statements_per_second: rateOrOff('statements per second per identity, such as 50').prefault('off'),
  statement_burst: countOrOff('a whole number of statements such as 100').optional(),
  handshake_timeout: duration().prefault('10s'),
  idle_session_timeout: durationOrOff().prefault('off'),
  max_pending_approvals_per_identity: countOrOff('a whole number of requests such as 100').prefault(100),
  max_message_size: size(64 * 1024).prefault('64MiB'),
  max_statement_size: size(1024).prefault('32MiB'),
  max_masked_row_size: size(1024).prefault('64MiB'),
}).transform((settings) => ({
  maxConnections: settings.max_connections,
  maxConnectionsPerIdentity: settings.max_connections_per_identity,
  statementsPerSecond: settings.statements_per_second,
  // One second's worth by default: a steady client at the rate is never refused.
  statementBurst:
    settings.statement_burst ??
    (settings.statements_per_second === null ? null : Math.max(1, Math.ceil(settings.statements_per_second))),
  handshakeTimeoutMs: settings.handshake_timeout,
  idleSessionTimeoutMs: settings.idle_session_timeout,
  maxPendingApprovalsPerIdentity: settings.max_pending_approvals_per_identity,
  maxMessageBytes: settings.max_message_size,
  maxStatementBytes: settings.max_statement_size,
  maxMaskedRowBytes: settings.max_masked_row_size,
}));
