import { CONTROL_CHANNEL, type StoreAddress, storeClientConfig } from '@sluice/journal';
import pg from 'pg';

/** A query the store does not answer in this time counts as the store being unreachable. */
const QUERY_TIMEOUT_MS = 5000;
/** Reconnecting waits this long after the first failure, doubling up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2000;

export interface StoreConnectionHandlers {
  /** Connected and listening; called again after each reconnection. */
  up(): Promise<void>;
  down(problem: string): void;
  notice(payload: string): void;
}

/** The store cannot be reached now; `message` says why, for readiness and logs. */
export class StoreDown extends Error {
  override readonly name = 'StoreDown';
}

/**
 * The link's one connection to the shared store: it LISTENs on the control channel, runs every
 * query of the link, and reconnects with backoff when the store goes away.
 */
export class StoreConnection {
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  /** Why the store is not reachable; null while connected. */
  problem: string | null = 'not connected yet';

  constructor(
    private readonly address: StoreAddress,
    private readonly applicationName: string,
    private readonly handlers: StoreConnectionHandlers,
  ) {}

  get up(): boolean {
    return this.client !== undefined;
  }

  /** Resolves after the first attempt, whether it reached the store or not. */
  start(): Promise<void> {
    return this.connect();
  }

  async query<Row extends Record<string, unknown>>(
    text: string,
    values: readonly unknown[] = [],
  ): Promise<Row[]> {
    const client = this.client;
    if (!client) throw new StoreDown(this.problem ?? 'not connected');
    const result = await client.query<Row>(text, [...values]);
    return result.rows;
  }

  /** Sends a notice on the control channel to every gateway (this one included). */
  async notify(notice: Readonly<Record<string, unknown>>): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [CONTROL_CHANNEL, JSON.stringify(notice)]);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({
      ...storeClientConfig(this.address, this.applicationName),
      query_timeout: QUERY_TIMEOUT_MS,
    });
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'the store closed the connection'));
    client.on('notification', (message) => {
      if (message.channel === CONTROL_CHANNEL && message.payload) this.handlers.notice(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CONTROL_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.problem = error instanceof Error ? error.message : String(error);
      this.scheduleRetry();
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.problem = null;
    this.failures = 0;
    await this.handlers.up().catch(() => undefined);
  }

  private lost(client: pg.Client, problem: string): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.problem = problem;
    client.end().catch(() => undefined);
    this.handlers.down(problem);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    const delay = Math.min(RETRY_FIRST_MS * 2 ** this.failures, RETRY_MAX_MS);
    this.failures++;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
