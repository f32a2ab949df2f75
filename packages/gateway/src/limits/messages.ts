import type { GatewayLimits } from './gateway-limits.js';

export function totalLimitMessage(limits: GatewayLimits): string {
  return `sluice: too many connections: the gateway allows ${limits.config.maxConnections} at once (limits.max_connections)`;
}

export function sessionLimitMessage(limits: GatewayLimits, identity: string): string {
  return `sluice: too many connections for "${identity}": ${limits.config.maxConnectionsPerIdentity} sessions at once at most (limits.max_connections_per_identity)`;
}
