import type { UpstreamConfig } from '@sluice/config';
import { CharacterSet, Command, encodePackets, packets } from '@sluice/wire-mysql';
import { UPSTREAM_CONNECT_TIMEOUT_MS } from './limits.js';
import { PROBE_CAPABILITIES, PROBE_MAX_PACKET_BYTES } from './listener-state.js';
import { connectUpstream } from './upstream.js';

/**
 * Stops a statement (`QUERY`) or a whole connection (`CONNECTION`) on the server from a login of
 * Sluice's own: the session's connection is busy with the statement, and a MySQL server goes on
 * running a statement whose client has gone (`DO SLEEP(3600)`) until it ends by itself.
 * https://mariadb.com/kb/en/kill/
 */
export async function killUpstream(
  upstream: UpstreamConfig,
  threadId: number,
  what: 'QUERY' | 'CONNECTION',
): Promise<void> {
  const side = await connectUpstream(upstream, {
    capabilities: PROBE_CAPABILITIES,
    characterSet: CharacterSet.utf8mb4GeneralCi,
    maxPacketSize: PROBE_MAX_PACKET_BYTES,
    database: upstream.database,
    connectAttributes: null,
  });
  side.socket.on('error', () => undefined);
  try {
    const query = packets.ComQuery.encode({
      kind: 'com-query',
      query: `KILL ${what} ${threadId}`,
      attributes: [],
    });
    side.socket.write(encodePackets(query, 0));
    // The reply (OK, or ERR for a thread already gone) says the server has acted on it.
    await side.reader.next(UPSTREAM_CONNECT_TIMEOUT_MS);
  } finally {
    side.reader.detach();
    side.socket.end(encodePackets(Buffer.from([Command.quit]), 0));
  }
}

/** `kill(what)` for one session's server thread, settled once the server has acted; a failure is reported, never thrown. */
export function killerOf(
  upstream: UpstreamConfig,
  threadId: number,
  failed: (what: string, error: unknown) => void,
): (what: 'QUERY' | 'CONNECTION') => Promise<void> {
  return (what) => killUpstream(upstream, threadId, what).catch((error: unknown) => failed(what, error));
}
