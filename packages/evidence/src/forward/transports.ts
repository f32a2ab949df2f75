import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as connectTls } from 'node:tls';
import type { ForwardTarget } from '@sluice/config';
import type { JournalEntry } from '@sluice/journal';
import { octetCounted, syslogMessage } from './syslog-message.js';

/** Delivers a batch of records; resolves once the receiver has taken them, rejects otherwise. */
export interface Transport {
  send(entries: readonly JournalEntry[]): Promise<void>;
  close(): void;
}

const TIMEOUT_MS = 10_000;

export function transportFor(target: ForwardTarget): Transport {
  const url = new URL(target.url);
  if (url.protocol === 'http:' || url.protocol === 'https:') return new HttpTransport(target);
  return new SyslogTransport(url, url.protocol === 'syslog+tls:', target.ca);
}

/**
 * JSON arrays over HTTP(S) POST; a 2xx answer acknowledges the batch. The bearer token is the
 * only secret that leaves Sluice here, and only towards the configured URL.
 */
class HttpTransport implements Transport {
  constructor(private readonly target: ForwardTarget) {}

  async send(entries: readonly JournalEntry[]): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = this.target.secret?.reveal();
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(this.target.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(entries),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the receiver answered ${response.status}`);
  }

  close(): void {}
}

/**
 * RFC 5424 over one long-lived TCP or TLS connection, octet-counted (RFC 6587). TCP has no
 * application acknowledgement: a batch counts as delivered once the socket has flushed it.
 */
class SyslogTransport implements Transport {
  private socket: Socket | null = null;
  private readonly host = hostname();

  constructor(
    private readonly url: URL,
    private readonly tls: boolean,
    private readonly caFile: string | undefined,
  ) {}

  async send(entries: readonly JournalEntry[]): Promise<void> {
    const socket = this.socket ?? (await this.open());
    const text = entries.map((entry) => octetCounted(syslogMessage(entry, this.host, process.pid))).join('');
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      socket.once('error', failed);
      socket.write(text, (error) => {
        socket.off('error', failed);
        if (error) reject(error);
        else resolve();
      });
    }).catch((error: unknown) => {
      this.close();
      throw error;
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private open(): Promise<Socket> {
    const port = Number(this.url.port);
    const host = this.url.hostname;
    return new Promise((resolve, reject) => {
      const socket = this.tls
        ? connectTls({
            host,
            port,
            servername: host,
            ...(this.caFile ? { ca: readFileSync(this.caFile) } : {}),
          })
        : connectTcp({ host, port });
      socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('the receiver did not answer in time')));
      socket.once(this.tls ? 'secureConnect' : 'connect', () => {
        socket.setTimeout(0);
        socket.removeAllListeners('error');
        // A receiver that goes away: the next send opens a new connection.
        socket.on('error', () => undefined);
        socket.on('close', () => {
          if (this.socket === socket) this.socket = null;
        });
        this.socket = socket;
        resolve(socket);
      });
      socket.once('error', reject);
    });
  }
}
