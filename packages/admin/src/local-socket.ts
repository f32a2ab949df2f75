import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import type { Actor } from '@sluice/control';

/**
 * The longest socket path the kernel takes: `sun_path` is 108 bytes on Linux and 104 on the
 * BSDs and macOS, one of which is the terminating NUL.
 */
/** The admin socket cannot be served (its path, or another gateway on it); the gateway does not start. */
export class AdminSocketError extends Error {
  override readonly name = 'AdminSocketError';
}

export const SOCKET_PATH_LIMIT = process.platform === 'linux' ? 107 : 103;

/** The owner-only admin socket of the gateway that writes this journal, beside the file. */
export function adminSocketPath(journalPath: string): string {
  return `${journalPath}.sock`;
}

/** Why the socket cannot be used at this path, or undefined when it can. */
export function socketPathProblem(path: string): string | undefined {
  const bytes = Buffer.byteLength(path);
  if (bytes <= SOCKET_PATH_LIMIT) return undefined;
  return (
    `the admin socket path ${path} is ${bytes} bytes, longer than the ${SOCKET_PATH_LIMIT} ` +
    'this system allows for a socket; give journal.path a shorter path'
  );
}

/**
 * Who calls on the socket: only the gateway's own user (or root) can open a 0600 socket, so the
 * caller is the local owner, an administrator named after the operating-system user.
 */
export function localActor(): Actor {
  return { name: `local:${userInfo().username}`, groups: [], via: 'local', roles: ['admin'] };
}

/** Whether a server answers on the socket at `path` (false when nothing is there or it is refused). */
export function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  if (socketPathProblem(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (answers: boolean): void => {
      socket.destroy();
      resolve(answers);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface LocalSocketServer {
  /** Whether the request came in on this socket (then its caller is the local owner). */
  isLocal(request: IncomingMessage): boolean;
  close(): Promise<void>;
}

/**
 * Serves `handler` on a Unix domain socket at `path`, mode 0600 from the moment it exists. A
 * socket left by a gateway that crashed is replaced; one a live gateway answers on is not.
 */
export async function serveLocalSocket(
  path: string,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LocalSocketServer> {
  const problem = socketPathProblem(path);
  if (problem) throw new AdminSocketError(problem);
  await clearStaleSocket(path);
  const sockets = new WeakSet<Socket>();
  const server = createServer(handler);
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await listenOwnerOnly(server, path);
  let closing: Promise<void> | undefined;
  return {
    isLocal: (request) => sockets.has(request.socket),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => removeSocket(path));
      return closing;
    },
  };
}

async function clearStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // Nothing there.
  }
  if (!isSocket)
    throw new AdminSocketError(`${path} exists and is not a socket; remove it or move the journal`);
  if (await socketAnswers(path)) {
    throw new AdminSocketError(`another gateway answers on ${path}: it is writing this journal already`);
  }
  removeSocket(path);
}

/** The umask makes the kernel create the socket as 0600, so there is no moment it is wider. */
function listenOwnerOnly(server: Server, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    const previous = process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off('error', onError);
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  }).then(() => chmodSync(path, 0o600));
}

function removeSocket(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (the server removes its own socket on close).
  }
}
