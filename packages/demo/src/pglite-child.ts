/**
 * Runs in a child process forked by `startEmbeddedPostgres`: an in-memory PGlite served over TCP
 * on 127.0.0.1 and a free port. PGlite needs ~700 MB and several seconds of CPU to start, which
 * would stall the gateway's event loop if it shared the process.
 */
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { cacheFile, startDatabase } from './pglite-cache.js';
import { type ChildMessage, isParentMessage } from './pglite-messages.js';

/**
 * The socket server queues every protocol message onto PGlite's one backend; more than one
 * connection is needed for Sluice's catalog reader next to client sessions.
 */
const MAX_CONNECTIONS = 32;

function tell(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

/** Set once the database runs; until then there is nothing to close before exiting. */
let stopDatabase: (() => Promise<void>) | undefined;

function stop(): void {
  if (stopDatabase === undefined) process.exit(0);
  void stopDatabase();
}

async function main(): Promise<void> {
  const { db, fromCache } = await startDatabase(cacheFile());
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  let stopping: Promise<void> | undefined;
  stopDatabase = () => {
    stopping ??= (async () => {
      await server.stop();
      await db.close();
      process.exit(0);
    })();
    return stopping;
  };
  // The parent went away while the database was starting.
  if (!process.connected) return stopDatabase();
  tell({ kind: 'ready', port, fromCache });
}

process.on('message', (message) => {
  if (isParentMessage(message)) stop();
});
// The parent is gone (crashed or killed): nobody will ever ask this database anything again.
process.on('disconnect', stop);
// Ctrl-C reaches the whole process group; the parent decides when the database goes away, after
// the gateway in front of it has closed its sessions.
process.on('SIGINT', () => undefined);

main().catch((error: unknown) => {
  tell({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
