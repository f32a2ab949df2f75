import type { ScaleCluster } from './scale-cluster.js';

interface ReadyCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly degraded?: boolean;
  readonly detail?: string;
}

/** One look at the cluster: each gateway's `/readyz` and HAProxy's view of each server. */
export interface HealthSample {
  readonly at: number;
  readonly readyz: ReadonlyMap<string, { status: number; degraded: boolean; checks: readonly ReadyCheck[] }>;
  /** `backend/server` → status, e.g. `postgres/gw-a` → `UP`. */
  readonly haproxy: ReadonlyMap<string, string>;
}

/** Samples the cluster's health every `intervalMs` until stopped. */
export function watchHealth(cluster: ScaleCluster, intervalMs = 250): { stop(): Promise<HealthSample[]> } {
  const samples: HealthSample[] = [];
  let stopping = false;
  const sampling = (async () => {
    while (!stopping) {
      samples.push(await sample(cluster));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await sampling;
      return samples;
    },
  };
}

async function sample(cluster: ScaleCluster): Promise<HealthSample> {
  const at = Date.now();
  const [servers, ...readyz] = await Promise.all([
    cluster.haproxy.servers(),
    ...cluster.gateways.map(async (gateway) => {
      const reply = await gateway.api('GET', '/readyz');
      const body = reply.body as { degraded: boolean; checks: ReadyCheck[] };
      return [gateway.id, { status: reply.status, degraded: body.degraded, checks: body.checks }] as const;
    }),
  ]);
  return {
    at,
    readyz: new Map(readyz),
    haproxy: new Map(servers.map((server) => [`${server.backend}/${server.server}`, server.status])),
  };
}
