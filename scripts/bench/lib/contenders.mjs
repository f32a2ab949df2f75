// Which contenders a run starts: every suite names its own, BENCH_CONTENDERS keeps a subset.

/** Every contender a suite may have, in the order tables list them. */
export const CONTENDER_NAMES = [
  'direct',
  'pipe',
  'pgbouncer',
  'sluice-off',
  'sluice-users',
  'sluice-sync',
  'sluice-store',
  'sluice-2gw',
  'baseline-users',
];

/**
 * Starts the contenders of `starters` (name → async function resolving with `{ port, user,
 * password, pid }`) that `selected` keeps (a Set, or null for all), in order, and only those:
 * a gateway not measured would still take memory and, on a shared store, the database's time.
 */
export async function startSelected(starters, selected) {
  const contenders = [];
  for (const [name, start] of Object.entries(starters)) {
    if (selected && !selected.has(name)) continue;
    contenders.push({ name, ...(await start()) });
  }
  return contenders;
}

/** A gateway (or the balancer in front of several) as a contender, reached on one listener. */
export function gatewayContender(gateway, listener) {
  const { user, secret: password, pid, observe } = gateway;
  return { port: gateway.ports[listener], user, password, pid, ...(observe ? { observe } : {}) };
}
