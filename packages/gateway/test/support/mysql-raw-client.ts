import { connect, type Socket } from 'node:net';
import {
  Capability,
  encodePackets,
  nativePasswordScramble,
  type Packet,
  PacketSplitter,
  packets,
  seedFromPluginData,
} from '@sluice/wire-mysql';

const CLIENT_FLAGS =
  Capability.longPassword |
  Capability.protocol41 |
  Capability.secureConnection |
  Capability.pluginAuth |
  Capability.connectWithDb |
  Capability.transactions |
  Capability.multiResults;

/**
 * A minimal MySQL client over a plain socket, for tests that need to send what no driver sends
 * or to stop reading: it logs in with mysql_native_password and then exchanges raw packets.
 */
export class RawMysqlClient {
  private readonly splitter = new PacketSplitter({ maxPacketBytes: 1 << 30 });
  private readonly queue: Packet[] = [];
  private waiter: (() => void) | undefined;
  /** While set, packets go here instead of the queue (to read a large result without keeping it). */
  private sink: ((packet: Packet) => void) | undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.splitter.push(chunk, (packet) => {
        if (this.sink) this.sink(packet);
        else this.queue.push({ ...packet, payload: Buffer.from(packet.payload) });
      });
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawMysqlClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawMysqlClient(socket);
  }

  /** Opens a connection and logs in; resolves once the server's OK arrived. */
  static async login(
    port: number,
    user: string,
    password: string,
    database: string,
  ): Promise<RawMysqlClient> {
    const client = await RawMysqlClient.open(port);
    const greeting = packets.InitialHandshake.decode((await client.next()).payload);
    const response = packets.HandshakeResponse41.encode({
      kind: 'handshake-response-41',
      capabilities: CLIENT_FLAGS,
      mariadbCapabilities: 0,
      maxPacketSize: 1 << 24,
      characterSet: 45,
      username: user,
      authResponse: nativePasswordScramble(password, seedFromPluginData(greeting.authPluginData)),
      database,
      authPluginName: 'mysql_native_password',
      connectAttributes: null,
      zstdCompressionLevel: null,
    });
    client.send(response, 1);
    const answer = await client.next();
    if (answer.payload[0] !== 0) throw new Error(`login failed: ${answer.payload.subarray(9).toString()}`);
    return client;
  }

  send(payload: Buffer, sequenceId = 0): boolean {
    return this.socket.write(encodePackets(payload, sequenceId));
  }

  /** The next packet; rejects when the connection closes first or nothing comes in time. */
  async next(timeoutMs = 5000): Promise<Packet> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const packet = this.queue.shift();
      if (packet) return packet;
      if (this.closed) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('no packet in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Resolves when the server has closed the connection. */
  async closedByServer(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.closed;
  }

  /** Hands every packet to `sink`, without keeping it, until `sink` returns true. */
  consume(sink: (packet: Packet) => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.sink = (packet) => {
        if (!sink(packet)) return;
        this.sink = undefined;
        resolve();
      };
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Error number and message of an ERR payload. */
export function errorOf(packet: Packet): { errno: number; message: string } {
  const error = packets.ErrPacket.decode(packet.payload);
  return { errno: error.errorCode, message: error.message };
}
