import { connect, type Socket } from 'node:net';
import { frontend } from '@sluice/wire-postgres';

/** One server message: its type letter and body. */
export interface RawMessage {
  readonly type: string;
  readonly body: Buffer;
}

/** The fields of an ErrorResponse / NoticeResponse body by their one-letter codes. */
export function fieldsOf(body: Buffer): Record<string, string> {
  const fields: Record<string, string> = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const code = String.fromCharCode(body[at] as number);
    const end = body.indexOf(0, at + 1);
    fields[code] = body.subarray(at + 1, end).toString('utf8');
    at = end + 1;
  }
  return fields;
}

/** The server's ErrorResponse to a login, by field code (C: SQLSTATE, M: message). */
export class LoginRefused extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(fields.M ?? 'login refused');
  }
}

/**
 * A minimal PostgreSQL client over a plain socket for tests that send what no driver sends: it
 * logs in with a clear-text password (a JWT, which the gateway asks for in clear on loopback)
 * and then exchanges raw frames.
 */
export class RawPostgresClient {
  private buffer = Buffer.alloc(0);
  private readonly queue: RawMessage[] = [];
  private waiter: (() => void) | undefined;
  closed = false;
  processId = 0;
  secretKey = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 5) {
        const length = this.buffer.readInt32BE(1);
        if (this.buffer.length < 1 + length) break;
        const type = String.fromCharCode(this.buffer[0] as number);
        this.queue.push({ type, body: Buffer.from(this.buffer.subarray(5, 1 + length)) });
        this.buffer = this.buffer.subarray(1 + length);
      }
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  static async login(
    port: number,
    user: string,
    password: string,
    database: string,
    localAddress?: string,
  ): Promise<RawPostgresClient> {
    const socket = connect({ port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawPostgresClient(socket);
    socket.write(
      frontend.StartupMessage.encode({
        kind: 'startup',
        protocolVersion: 3 << 16,
        parameters: { user, database },
      }),
    );
    const request = await client.next();
    if (request.type === 'E') throw new LoginRefused(fieldsOf(request.body));
    if (request.type !== 'R' || request.body.readInt32BE(0) !== 3)
      throw new Error(`expected a clear-text password request, got ${request.type}`);
    socket.write(frontend.PasswordMessage.encode({ kind: 'password', password }));
    const replies: RawMessage[] = [];
    for (let message = await client.next(); message.type !== 'Z'; message = await client.next()) {
      if (message.type === 'E') throw new LoginRefused(fieldsOf(message.body));
      replies.push(message);
    }
    const key = replies.find((m) => m.type === 'K');
    if (!key) throw new Error(`login failed: ${JSON.stringify(replies.map((m) => m.type))}`);
    client.processId = key.body.readInt32BE(0);
    client.secretKey = Buffer.from(key.body.subarray(4));
    return client;
  }

  send(...frames: Buffer[]): void {
    this.socket.write(Buffer.concat(frames));
  }

  /** The next message, or throws after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<RawMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.queue.shift() as RawMessage;
  }

  /** Messages up to and including the next ReadyForQuery. */
  async untilReady(timeoutMs = 5000): Promise<RawMessage[]> {
    const messages: RawMessage[] = [];
    for (;;) {
      const message = await this.next(timeoutMs);
      messages.push(message);
      if (message.type === 'Z') return messages;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export const pgMessages = {
  parse: (name: string, text: string): Buffer =>
    frontend.Parse.encode({ kind: 'parse', name, text, parameterTypes: [] }),
  bind: (portal: string, statement: string, parameters: (string | null)[] = []): Buffer =>
    frontend.Bind.encode({
      kind: 'bind',
      portal,
      statement,
      parameterFormats: [],
      parameters: parameters.map((p) => (p === null ? null : Buffer.from(p))),
      resultFormats: [],
    }),
  execute: (portal = ''): Buffer => frontend.Execute.encode({ kind: 'execute', portal, maxRows: 0 }),
  describe: (target: 'statement' | 'portal', name: string): Buffer =>
    frontend.Describe.encode({ kind: 'describe', target, name }),
  close: (target: 'statement' | 'portal', name: string): Buffer =>
    frontend.Close.encode({ kind: 'close', target, name }),
  sync: (): Buffer => frontend.Sync.encode({ kind: 'sync' }),
  query: (text: string): Buffer => frontend.Query.encode({ kind: 'query', text }),
};

/** Type letters of messages, with the SQLSTATE of errors: 'E:42501'. */
export function summary(messages: readonly RawMessage[]): string[] {
  return messages.map((m) => (m.type === 'E' ? `E:${fieldsOf(m.body).C}` : m.type));
}

/** Text values of the DataRows among the messages. */
export function rowsOf(messages: readonly RawMessage[]): (string | null)[][] {
  return messages
    .filter((m) => m.type === 'D')
    .map((m) => {
      const count = m.body.readInt16BE(0);
      const values: (string | null)[] = [];
      let at = 2;
      for (let i = 0; i < count; i++) {
        const length = m.body.readInt32BE(at);
        at += 4;
        if (length < 0) values.push(null);
        else {
          values.push(m.body.subarray(at, at + length).toString('utf8'));
          at += length;
        }
      }
      return values;
    });
}

/**
 * A clear-text sign-in from `from` (another loopback address stands for another host): 'ok', or
 * the SQLSTATE and message of the refusal.
 */
export async function loginOutcome(
  port: number,
  user: string,
  password: string,
  database: string,
  from: string,
): Promise<string> {
  try {
    (await RawPostgresClient.login(port, user, password, database, from)).close();
    return 'ok';
  } catch (error) {
    if (error instanceof LoginRefused) return `${error.fields.C}: ${error.fields.M}`;
    throw error;
  }
}
