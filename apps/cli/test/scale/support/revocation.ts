import { clientsOnBoth, connectAgent, PROTOCOLS } from './clients.js';
import type { GatewayProcess } from './gateway-process.js';
import type { ScaleCluster } from './scale-cluster.js';

/**
 * Makes the service account `name`, opens a session of it on each gateway in each protocol the
 * cluster has, revokes it through `via`'s admin API, and resolves with how long each session
 * took to end, counted from the moment the revocation was sent. Checks that the account can
 * sign in nowhere afterwards.
 */
export async function revocationDelays(
  cluster: ScaleCluster,
  via: GatewayProcess,
  name: string,
): Promise<number[]> {
  const secret = await cluster.addAgent(name);
  const protocols = PROTOCOLS.filter((protocol) => protocol === 'postgres' || cluster.mariadb);
  const sessions = [];
  for (const protocol of protocols)
    sessions.push(...(await clientsOnBoth(cluster, protocol, name, secret)).values());
  for (const session of sessions) {
    if ((await session.value("SELECT 'alive'")) !== 'alive')
      throw new Error(`a session of ${name} does not answer`);
  }
  const sent = Date.now();
  const revoked = await via.api('POST', `/api/agents/${name}/revoke`, { reason: 'leaked secret' });
  if (revoked.status !== 200 || revoked.body.status !== 'revoked') {
    throw new Error(`revoking ${name}: ${revoked.status} ${JSON.stringify(revoked.body)}`);
  }
  const delays = (await Promise.all(sessions.map((session) => session.ended))).map((at) => at - sent);
  for (const protocol of protocols) {
    for (let i = 0; i < cluster.gateways.length; i++) {
      const refused = await connectAgent(cluster, protocol, name, secret).then(
        async (client) => {
          await client.close();
          return false;
        },
        () => true,
      );
      if (!refused) throw new Error(`${name} still signs in over ${protocol} after its revocation`);
    }
  }
  return delays;
}
