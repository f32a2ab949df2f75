import { type AgentClient, clientsOnBoth, connectAgent, PROTOCOLS } from './clients.js';
import type { GatewayProcess } from './gateway-process.js';
import type { ScaleCluster } from './scale-cluster.js';

/**
 * How often a cut-off client tries to sign in again at once, as a driver's pool would. Each
 * refusal counts against the gateway's limit of failed sign-ins from one host (every client
 * here is 127.0.0.1), so a few only.
 */
const ATTEMPTS = 2;

export interface Revocation {
  /** From sending the revocation to the admin API's answer. */
  readonly answeredMs: number;
  /** From sending it to the end of each session, by the gateway that served it. */
  readonly ended: readonly { readonly gateway: string; readonly protocol: string; readonly ms: number }[];
}

/** The revocation's figures in a line, e.g. `gw-a postgres 24 ms, …; the API answered in 30 ms`. */
export function describeRevocation(revocation: Revocation): string {
  const each = revocation.ended.map((end) => `${end.gateway} ${end.protocol} ${end.ms} ms`).join(', ');
  return `${each}; the API answered in ${revocation.answeredMs} ms`;
}

/** The longest any session took to end. */
export function slowestEnd(revocation: Revocation): number {
  return Math.max(...revocation.ended.map((end) => end.ms));
}

/**
 * Makes the service account `name`, opens a session of it on each gateway in each protocol the
 * cluster has, revokes it through `via`'s admin API, and resolves with how long each session
 * took to end, counted from the moment the revocation was sent. Each cut-off client then tries
 * to sign in again on the gateway that served it, at once: every attempt must be refused.
 */
export async function revoke(cluster: ScaleCluster, via: GatewayProcess, name: string): Promise<Revocation> {
  const secret = await cluster.addAgent(name);
  const protocols = PROTOCOLS.filter((protocol) => protocol === 'postgres' || cluster.mariadb);
  const sessions: { client: AgentClient; gateway: GatewayProcess }[] = [];
  for (const protocol of protocols) {
    for (const [id, client] of await clientsOnBoth(cluster, protocol, name, secret)) {
      sessions.push({ client, gateway: cluster.gateway(id) });
    }
  }
  for (const { client } of sessions) {
    if ((await client.value("SELECT 'alive'")) !== 'alive')
      throw new Error(`a session of ${name} does not answer`);
  }
  const sent = Date.now();
  const revoking = via.api('POST', `/api/agents/${name}/revoke`, { reason: 'leaked secret' });
  const ends = sessions.map(async ({ client, gateway }) => {
    const endedAt = await client.ended;
    const signedIn: string[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const again = await connectAgent(cluster, client.protocol, name, secret, gateway).catch(() => null);
      if (!again) continue;
      signedIn.push(
        `${name} signed in over ${client.protocol} on ${gateway.id} ${Date.now() - endedAt} ms after its session ended`,
      );
      await again.close();
    }
    return { gateway: gateway.id, protocol: client.protocol, ms: endedAt - sent, signedIn };
  });
  const revoked = await revoking;
  const answeredMs = Date.now() - sent;
  if (revoked.status !== 200 || revoked.body.status !== 'revoked') {
    throw new Error(`revoking ${name}: ${revoked.status} ${JSON.stringify(revoked.body)}`);
  }
  const ended = await Promise.all(ends);
  const signedIn = ended.flatMap((end) => end.signedIn);
  if (signedIn.length > 0) throw new Error(signedIn.join('; '));
  return { answeredMs, ended: ended.map(({ gateway, protocol, ms }) => ({ gateway, protocol, ms })) };
}
