import { isIPv6 } from 'node:net';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export const LISTEN_EXAMPLE = 'host:port such as 127.0.0.1:6432';

const HOST_AND_PORT = /^(?:\[([^\]]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/;

/** `127.0.0.1:6432`, `[::1]:6432`, `localhost:0` (port 0 asks the OS for a free port). */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const match = HOST_AND_PORT.exec(text);
  if (!match) return undefined;
  const [, bracketedHost, plainHost, portText] = match;
  const port = Number(portText);
  if (port > 65_535) return undefined;
  if (bracketedHost !== undefined) return isIPv6(bracketedHost) ? { host: bracketedHost, port } : undefined;
  if (plainHost === undefined) return undefined;
  return { host: plainHost, port };
}

export function formatListenAddress(address: ListenAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}
