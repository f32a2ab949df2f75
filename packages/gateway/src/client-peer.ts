import { BlockList, type Socket } from 'node:net';
import type { AddressRange } from '@sluice/config';
import { formatAddress, isLoopback, plainAddress } from './addresses.js';
import { type ProxiedSource, ProxyHeaderError, parseProxyHeader } from './proxy-header.js';

/** Where a client connects from: its socket's peer, or the client a trusted balancer names. */
export interface ClientPeer {
  /** `203.0.113.7`, without an IPv4-mapped prefix; `unknown` when the socket no longer knows. */
  readonly host: string;
  /** `203.0.113.7:50122` or `[2001:db8::7]:50122`, as the journal shows it. */
  readonly address: string;
  /** Every hop stayed on this machine, so clear-text secrets never crossed a network. */
  readonly loopback: boolean;
}

export function socketPeer(socket: Socket): ClientPeer {
  return {
    host: plainAddress(socket.remoteAddress),
    address: formatAddress(socket.remoteAddress, socket.remotePort),
    loopback: isLoopback(socket.remoteAddress),
  };
}

/** The client behind a balancer: loopback only when both it and the balancer's hop were. */
export function proxiedPeer(socket: Socket, source: ProxiedSource): ClientPeer {
  return {
    host: plainAddress(source.address),
    address: formatAddress(source.address, source.port),
    loopback: isLoopback(source.address) && isLoopback(socket.remoteAddress),
  };
}

/** The balancers of `proxy_protocol_from`, whose connections must start with a PROXY header. */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(ranges: readonly AddressRange[]) {
    for (const range of ranges) this.list.addSubnet(range.address, range.prefix, range.family);
    this.empty = ranges.length === 0;
  }

  includes(address: string | undefined): boolean {
    if (this.empty || !address) return false;
    const plain = plainAddress(address);
    return this.list.check(plain, plain.includes(':') ? 'ipv6' : 'ipv4');
  }
}

/**
 * A balancer writes its header as soon as it connects. A MySQL client that connects straight
 * from a listed address waits for the greeting instead: it is told after this long.
 */
export const PROXY_HEADER_TIMEOUT_MS = 3000;

/**
 * Reads the PROXY header at the start of `socket` and leaves every byte after it for the
 * protocol's handshake. Rejects with ProxyHeaderError on anything else, when the socket closes
 * first, and after `timeoutMs` without a whole header.
 */
export function readProxyHeader(
  socket: Socket,
  timeoutMs = PROXY_HEADER_TIMEOUT_MS,
): Promise<ProxiedSource | undefined> {
  return new Promise((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      finish();
      reject(new ProxyHeaderError(`no PROXY protocol header within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
    const onEnd = (): void => {
      finish();
      reject(
        new ProxyHeaderError(
          'the connection closed before its PROXY protocol header ended',
          received.length === 0,
        ),
      );
    };
    const onReadable = (): void => {
      for (
        let chunk = socket.read() as Buffer | null;
        chunk !== null;
        chunk = socket.read() as Buffer | null
      ) {
        received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
        let header: ReturnType<typeof parseProxyHeader>;
        try {
          header = parseProxyHeader(received);
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (header.kind === 'incomplete') continue;
        finish();
        // Paused reading ends with no listener, so the handshake's own `data` listener starts
        // the flow again with these bytes first.
        if (received.length > header.length) socket.unshift(received.subarray(header.length));
        resolve(header.source);
        return;
      }
    };
    socket.on('readable', onReadable);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
  });
}
