import type { Socket } from 'node:net';
import type { Identity } from '@sluice/identity';
import type { SessionOrigin } from '../session-origin.js';
import type { PacketReader } from './packet-reader.js';
import type { MysqlUpstream } from './upstream.js';

/** What a MySQL session is made of once its client has signed in and its upstream login is done. */
export interface MysqlSessionParts {
  readonly client: Socket;
  readonly clientReader: PacketReader;
  readonly upstream: MysqlUpstream;
  readonly identity: Identity;
  readonly authMethod: string;
  readonly clientAddress: string;
  /** The client's host, for the sign-in throttle of COM_CHANGE_USER. */
  readonly clientHost: string;
  /** Capabilities negotiated with the client (and repeated upstream). */
  readonly capabilities: number;
  /** MariaDB's extended capabilities negotiated with the client (and repeated upstream). */
  readonly mariadbCapabilities: number;
  readonly collation: number;
  /** The thread id in the client's greeting. */
  readonly threadId: number;
  /** Sequence id of the OK that ends the client's connection phase. */
  readonly okSequenceId: number;
  readonly schema: string;
  /** The greeting's seed: COM_CHANGE_USER's auth response is computed with it, as at login. */
  readonly seed: Buffer;
  readonly tls: boolean;
  /** TLS or loopback: clear-text tokens may be sent. */
  readonly privateChannel: boolean;
  /** `mysql`, or `mcp` for Sluice's own MCP server, with the client's name. */
  readonly origin: SessionOrigin;
}
