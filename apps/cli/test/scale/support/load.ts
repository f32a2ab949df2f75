import { type AgentClient, connectAgent, servedBy } from './clients.js';
import type { Protocol, ScaleCluster } from './scale-cluster.js';

/** A statement a client sent and got its result for, and the gateway that served it. */
export interface Success {
  readonly statement: string;
  readonly gateway: string;
  readonly at: number;
  /** When the client's connection that ran it was established. */
  readonly connectedAt: number;
}

export interface LoadClient {
  readonly name: string;
  readonly protocol: Protocol;
  readonly successes: Success[];
  /** When a statement or a connection attempt failed, and why. */
  readonly errors: { readonly at: number; readonly message: string }[];
}

export interface LoadOptions {
  readonly user: string;
  readonly secret: string;
  /** Clients per protocol, each with its own connection. */
  readonly clients: Readonly<Partial<Record<Protocol, number>>>;
  /** The statements carry `'<prefix>-<client>-<n>'`, unique over the run. */
  readonly prefix: string;
  /** A pause after each statement, so that the load leaves the machine some room. */
  readonly pauseMs?: number;
  /** Each client signs in again after this many statements (new sessions all along); default never. */
  readonly statementsPerConnection?: number;
}

/**
 * Clients looping `SELECT '<marker>'` through HAProxy, each reconnecting (to whichever gateway
 * HAProxy picks) whenever its connection fails, until stopped.
 */
export class Load {
  readonly clients: LoadClient[] = [];
  private stopping = false;
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly cluster: ScaleCluster,
    private readonly options: LoadOptions,
  ) {
    for (const [protocol, count] of Object.entries(options.clients) as [Protocol, number][]) {
      for (let i = 0; i < count; i++) {
        this.clients.push({ name: `${protocol[0]}${i}`, protocol, successes: [], errors: [] });
      }
    }
  }

  start(): void {
    for (const client of this.clients) this.loops.push(this.run(client));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  /** Every success of every client, in no particular order. */
  successes(): Success[] {
    return this.clients.flatMap((client) => client.successes);
  }

  /** The fewest successes any client had after `since`. */
  leastSince(since: number): number {
    return Math.min(...this.clients.map((client) => client.successes.filter((s) => s.at > since).length));
  }

  private async run(client: LoadClient): Promise<void> {
    let sent = 0;
    while (!this.stopping) {
      let connection: AgentClient | undefined;
      try {
        connection = await connectAgent(
          this.cluster,
          client.protocol,
          this.options.user,
          this.options.secret,
        );
        const connectedAt = Date.now();
        const gateway = await servedBy(this.cluster, connection);
        const last = sent + (this.options.statementsPerConnection ?? Number.POSITIVE_INFINITY);
        while (!this.stopping && sent < last) {
          const statement = `SELECT '${this.options.prefix}-${client.name}-${sent++}'`;
          await connection.value(statement);
          client.successes.push({ statement, gateway, at: Date.now(), connectedAt });
          if (this.options.pauseMs) await sleep(this.options.pauseMs);
        }
      } catch (error) {
        client.errors.push({
          at: Date.now(),
          message: error instanceof Error ? error.message : String(error),
        });
        await sleep(50);
      } finally {
        await connection?.close();
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
