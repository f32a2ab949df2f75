import type { Socket } from 'node:net';

/**
 * One deadline for everything before a session starts: TLS, startup and authentication. Each
 * read of the handshake has its own timeout too, but a client that sends its bytes one per
 * second meets every per-read timeout and would hold a socket (and a TLS context) for ever.
 */
export function armHandshakeDeadline(socket: Socket, timeoutMs: number, expired: () => void): () => void {
  const timer = setTimeout(() => {
    if (socket.destroyed) return;
    expired();
    socket.destroy();
  }, timeoutMs);
  timer.unref();
  const disarm = (): void => clearTimeout(timer);
  socket.once('close', disarm);
  return disarm;
}
