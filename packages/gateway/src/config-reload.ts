import { createHash } from 'node:crypto';
import { type ConnectionConfig, type PolicyConfig, Secret, type SluiceConfig } from '@sluice/config';
import { DEFAULT_POLICY } from '@sluice/policy';

/**
 * What a reload may change: each connection's policy (rules, guardrails, approvals, masking,
 * statement time). Listeners, upstreams, TLS files, the journal, limits, identity issuers and the admin
 * API are bound when the gateway starts; a new configuration that changes them needs a restart.
 */
export function restartNeeded(running: SluiceConfig, next: SluiceConfig): string[] {
  const reasons: string[] = [];
  if (canonical(running.journal) !== canonical(next.journal)) reasons.push('journal settings changed');
  if (canonical(running.admin) !== canonical(next.admin)) reasons.push('admin settings changed');
  if (canonical(running.limits) !== canonical(next.limits)) reasons.push('limits changed');
  if (canonical(running.identity) !== canonical(next.identity)) reasons.push('identity issuers changed');
  const names = (config: SluiceConfig): string => config.connections.map((c) => c.name).join(', ');
  if (names(running) !== names(next)) {
    reasons.push(`connections changed from [${names(running)}] to [${names(next)}]`);
    return reasons;
  }
  running.connections.forEach((connection, index) => {
    const other = next.connections[index];
    if (other && canonical(bound(connection)) !== canonical(bound(other)))
      reasons.push(`connection "${connection.name}": listen address, upstream or TLS changed`);
  });
  return reasons;
}

/** The policy a connection runs under in `config`: its named policy, or the built-in default. */
export function policyOf(config: SluiceConfig, connection: string): PolicyConfig {
  const name = config.connections.find((c) => c.name === connection)?.policy;
  return (name ? config.policies.get(name) : undefined) ?? DEFAULT_POLICY;
}

/** Whether two policies say the same (a reload parses afresh, so identity says nothing). */
export function samePolicy(a: PolicyConfig, b: PolicyConfig): boolean {
  return a === b || canonical(a) === canonical(b);
}

/** Whether a session that started under `a` runs differently from one under `b`: what it fixes at start. */
export function sessionSettingsDiffer(a: PolicyConfig, b: PolicyConfig): boolean {
  return a.maxStatementTimeMs !== b.maxStatementTimeMs || canonical(a.masking) !== canonical(b.masking);
}

/** A connection's settings that a running listener cannot change. */
function bound(connection: ConnectionConfig): Omit<ConnectionConfig, 'policy'> {
  const { policy: _policy, ...rest } = connection;
  return rest;
}

/** A stable text of a settings value; secrets compare by digest, never by their text. */
function canonical(value: unknown): string {
  // toJSON runs before a replacer sees the value, so secrets are looked up on their holder.
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, each: unknown) {
    const original = this[key];
    if (original instanceof Secret)
      return `secret:${createHash('sha256').update(original.reveal()).digest('hex')}`;
    if (each instanceof Map) return [...each.entries()];
    if (each instanceof RegExp) return `regexp:${each.source}/${each.flags}`;
    return each;
  });
}
