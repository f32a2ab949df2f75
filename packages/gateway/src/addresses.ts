import { isIPv4 } from 'node:net';

/** `::ffff:10.0.0.7` → `10.0.0.7`, as a person writes it; `unknown` when the socket no longer knows. */
export function plainAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback: connections that never left the machine. */
export function isLoopback(address: string | undefined): boolean {
  const plain = plainAddress(address);
  if (isIPv4(plain)) return plain.startsWith('127.');
  return plain === '::1';
}

export function formatAddress(address: string | undefined, port: number | undefined): string {
  const plain = plainAddress(address);
  if (plain === 'unknown') return plain;
  return plain.includes(':') ? `[${plain}]:${port ?? 0}` : `${plain}:${port ?? 0}`;
}
