import { createServer } from 'node:net';

/** The port `sluice demo` listens on when it is free, as in the docs' examples. */
export const PREFERRED_PORT = 6432;
const HOST = '127.0.0.1';

/**
 * Binds `port` (0: any) on 127.0.0.1 for a moment and returns the port that was bound, or
 * undefined when it is taken. Another process may take it before the gateway binds it; the
 * caller retries then.
 */
export function probePort(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    });
    server.listen(port, HOST, () => {
      const address = server.address();
      const bound = address !== null && typeof address === 'object' ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The port for the gateway: the user's choice as it is; with none, the preferred port when it
 * is free and otherwise one the system picks; 0 asks for the system's pick directly.
 */
export async function choosePort(requested: number | undefined): Promise<number> {
  if (requested !== undefined && requested !== 0) return requested;
  const preferred = requested === undefined ? await probePort(PREFERRED_PORT) : undefined;
  if (preferred !== undefined) return preferred;
  const any = await probePort(0);
  if (any === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return any;
}

export function isAddressInUse(error: unknown): boolean {
  let cause: unknown = error;
  while (cause instanceof Error) {
    if ('code' in cause && cause.code === 'EADDRINUSE') return true;
    cause = cause.cause;
  }
  return false;
}
