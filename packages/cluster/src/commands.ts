import { type Actor, ControlError, type ControlErrorCode, type Decision } from '@sluice/control';
import { type Json, object } from './json.js';
import type { StoreConnection } from './store-connection.js';

/** How long a gateway waits for the holder of a request or a session to answer a command. */
export const ANSWER_TIMEOUT_MS = 5000;
/** Between two looks at a command's result when no notice came (the safety net). */
const POLL_MS = 1000;

const CODES: readonly ControlErrorCode[] = [
  'not-found',
  'not-pending',
  'forbidden',
  'self-approval',
  'already-approved',
  'reason-required',
  'invalid',
  'unavailable',
];

/** What one gateway asks another to do (`control_commands.command`). */
export type Command =
  | {
      readonly kind: 'decide';
      readonly id: string;
      readonly action: Decision['action'];
      readonly actor: {
        readonly name: string;
        readonly groups: readonly string[];
        readonly roles: Actor['roles'];
        readonly via: Actor['via'];
      };
      readonly reason: string | null;
    }
  | { readonly kind: 'kill'; readonly session: string; readonly reason: string };

/** `control_commands.result`: what the command did, or the holder's refusal. */
export type CommandResult =
  | { readonly request: Json }
  | { readonly killed: boolean }
  | { readonly error: { readonly code: ControlErrorCode; readonly message: string } };

/** Sends commands to other gateways through the store and waits for their answers. */
export class CommandSender {
  private readonly nudges = new Map<string, () => void>();

  constructor(private readonly store: StoreConnection) {}

  /** The holder's result; a ControlError `unavailable` when the store or the holder does not answer. */
  async send(gateway: string, command: Command, subject: string): Promise<CommandResult> {
    if (!this.store.up) {
      throw new ControlError(
        'unavailable',
        `sluice: the control store is unreachable, so ${subject} on gateway ${gateway} cannot be reached from here`,
      );
    }
    try {
      return await this.exchange(gateway, command, subject);
    } catch (error) {
      if (error instanceof ControlError) throw error;
      throw new ControlError(
        'unavailable',
        `sluice: the control store failed while asking gateway ${gateway} about ${subject}: ${messageOf(error)}`,
      );
    }
  }

  /** A `command-done` notice: the waiter for that command looks at its result now. */
  done(id: string): void {
    this.nudges.get(id)?.();
  }

  private async exchange(gateway: string, command: Command, subject: string): Promise<CommandResult> {
    const [row] = await this.store.query<{ id: string }>(
      'INSERT INTO control_commands (gateway, command) VALUES ($1, $2::jsonb) RETURNING id::text AS id',
      [gateway, JSON.stringify(command)],
    );
    if (!row) throw new Error('the store returned no command id');
    const { id } = row;
    try {
      await this.store.notify({ kind: 'command', gateway, at: Date.now() });
      const deadline = Date.now() + ANSWER_TIMEOUT_MS;
      while (Date.now() < deadline) {
        const result = await this.resultOf(id);
        if (result) return result;
        await this.nudged(id, Math.min(POLL_MS, deadline - Date.now()));
      }
      // Withdrawn unless the holder took it meanwhile: a late answer must not apply unseen.
      const withdrawn = await this.store.query(
        `UPDATE control_commands SET done_at = now(), result = $2::jsonb
          WHERE id = $1::bigint AND done_at IS NULL RETURNING id`,
        [id, JSON.stringify({ error: { code: 'unavailable', message: 'no answer in time' } })],
      );
      if (withdrawn.length === 0) {
        await this.nudged(id, POLL_MS);
        const late = await this.resultOf(id);
        if (late) return late;
      }
      throw new ControlError(
        'unavailable',
        `sluice: gateway ${gateway}, which holds ${subject}, did not answer`,
      );
    } finally {
      this.nudges.delete(id);
    }
  }

  private async resultOf(id: string): Promise<CommandResult | undefined> {
    const [row] = await this.store.query<{ result: unknown }>(
      'SELECT result FROM control_commands WHERE id = $1::bigint AND result IS NOT NULL',
      [id],
    );
    return row ? commandResult(row.result) : undefined;
  }

  private nudged(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      this.nudges.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * Runs the commands other gateways sent this one, oldest first. Each is claimed (done_at set)
 * before it runs, so a sender that gave up and withdrew it cannot see it run later.
 */
export class CommandServer {
  private serving: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly store: StoreConnection,
    private readonly gatewayId: string,
    private readonly run: (command: unknown) => CommandResult,
  ) {}

  serve(): Promise<void> {
    if (this.serving) {
      this.again = true;
      return this.serving;
    }
    this.serving = this.drain()
      .catch(() => undefined)
      .finally(() => {
        this.serving = undefined;
      });
    return this.serving;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      const open = await this.store.query<{ id: string; command: unknown }>(
        `SELECT id::text AS id, command FROM control_commands
          WHERE gateway = $1 AND done_at IS NULL ORDER BY id`,
        [this.gatewayId],
      );
      for (const { id, command } of open) {
        const claimed = await this.store.query(
          'UPDATE control_commands SET done_at = now() WHERE id = $1::bigint AND done_at IS NULL RETURNING id',
          [id],
        );
        if (claimed.length === 0) continue;
        const result = this.run(command);
        await this.store.query('UPDATE control_commands SET result = $2::jsonb WHERE id = $1::bigint', [
          id,
          JSON.stringify(result),
        ]);
        await this.store.notify({ kind: 'command-done', id, at: Date.now() });
      }
    } while (this.again);
  }
}

function commandResult(json: unknown): CommandResult {
  const o = object(json, 'result');
  if ('error' in o) {
    const error = object(o.error, 'error');
    return {
      error: {
        code: CODES.includes(error.code as ControlErrorCode) ? (error.code as ControlErrorCode) : 'invalid',
        message: typeof error.message === 'string' ? error.message : 'refused',
      },
    };
  }
  if ('killed' in o) return { killed: o.killed === true };
  return { request: o.request as Json };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
