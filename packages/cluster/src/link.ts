import {
  type Control,
  ControlError,
  type ControlStoreStatus,
  type ReadinessCheck,
  type RemoteControl,
} from '@sluice/control';
import type { StoreAddress } from '@sluice/journal';
import { decodeApproval } from './approval-codec.js';
import { ClusterSessions } from './cluster-sessions.js';
import { type CommandResult, CommandSender, CommandServer } from './commands.js';
import { StoreMirror } from './mirror.js';
import { Outbox } from './outbox.js';
import { expireLeftovers, heartbeat, leave, pruneCommands, writeApproval, writeGrant } from './publish.js';
import { runCommand } from './run-command.js';
import { StoreConnection } from './store-connection.js';

/** Heartbeat, commands and waiting writes every second; re-reads of the store every other one. */
const TICK_MS = 1000;
const PRUNE_EVERY_TICKS = 600;
/** How long closing waits for the store to take what still waits. */
const CLOSE_FLUSH_MS = 2000;

/** What the link logs: pino's Logger fits. */
export interface LinkLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ControlLinkOptions {
  /** The shared store (`journal.store`), as `storeAddress` gives it. */
  readonly store: StoreAddress;
  /** This gateway's name in the store (`journal.gateway_id`). */
  readonly gatewayId: string;
  readonly log?: LinkLog;
}

const QUIET: LinkLog = { info: () => undefined, warn: () => undefined };

/**
 * Joins a gateway's `Control` to the store it shares with other gateways: every change made
 * here is written there and announced (NOTIFY), every change made elsewhere is applied here
 * within a second, backed by a periodic re-read. While the store is unreachable, local work goes
 * on and the newest state of each changed request and grant waits to be written.
 */
export class ControlLink {
  private readonly store: StoreConnection;
  private readonly sessions: ClusterSessions;
  private readonly mirror: StoreMirror;
  private readonly outbox = new Outbox();
  private readonly sender: CommandSender;
  private readonly server: CommandServer;
  private readonly startedAt = new Date();
  private readonly log: LinkLog;
  private readonly stopWatching: () => void;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private ticking = false;
  private joined = false;
  private lagSeconds: number | null = null;

  private constructor(
    private readonly control: Control,
    private readonly options: ControlLinkOptions,
  ) {
    const { gatewayId } = options;
    this.log = options.log ?? QUIET;
    this.store = new StoreConnection(options.store, `sluice control ${gatewayId}`, {
      up: () =>
        this.reached().catch((error: unknown) =>
          this.log.warn({ err: error }, 'control store: catching up failed; trying again each second'),
        ),
      down: (problem) => this.log.warn({ problem }, 'control store unreachable; control changes wait'),
      notice: (payload) => this.notice(payload),
    });
    this.sessions = new ClusterSessions(control.sessions);
    this.mirror = new StoreMirror(this.store, control, gatewayId, this.sessions, (name) =>
      this.revoked(name),
    );
    this.sender = new CommandSender(this.store);
    this.server = new CommandServer(this.store, gatewayId, (command) =>
      runCommand(control, this.sessions.local, command),
    );
    this.stopWatching = control.events.on((event) => {
      if (event.type === 'approval') {
        const { request } = event;
        this.outbox.put(`approval:${request.id}`, () => writeApproval(this.store, gatewayId, request));
      } else if (event.action === 'created' || event.action === 'revoked') {
        const { grant } = event;
        const creator = control.grants.creatorOf(grant.id) ?? gatewayId;
        this.outbox.put(`grant:${grant.id}`, () => writeGrant(this.store, gatewayId, grant, creator));
      } else {
        return;
      }
      if (this.store.up) void this.outbox.flush();
    });
  }

  /**
   * Links `control` (whose `sessions` the gateway has set already) to the store. Resolves once
   * the first attempt to reach the store is over: a gateway starts even when the store is down.
   */
  static async start(control: Control, options: ControlLinkOptions): Promise<ControlLink> {
    const link = new ControlLink(control, options);
    control.gatewayId = options.gatewayId;
    control.sessions = link.sessions;
    control.remote = link.remoteControl();
    control.storeStatus = () => link.status();
    await link.store.start();
    link.timer = setInterval(() => void link.tick(), TICK_MS);
    link.timer.unref();
    return link;
  }

  /** The `control store` check of `/readyz`. */
  check(): ReadinessCheck {
    if (this.store.up) {
      return {
        name: 'control store',
        ok: true,
        detail: `reachable; ${this.mirror.liveGateways} other gateway(s) live`,
      };
    }
    return {
      name: 'control store',
      ok: false,
      // Every gateway shares the outage, and statements still flow: /readyz stays 200.
      degraded: true,
      detail: `control store unreachable: ${this.store.problem ?? 'not connected'}; ${this.outbox.size} change(s) wait to be written`,
    };
  }

  status(): ControlStoreStatus {
    return { up: this.store.up, notificationLagSeconds: this.lagSeconds, waitingChanges: this.outbox.size };
  }

  /** Writes what waits (for up to two seconds), tells the others this gateway stopped, and lets go of `control`. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.stopWatching();
    if (this.store.up) {
      const flushed = this.outbox.flush().then(() => leave(this.store, this.options.gatewayId));
      const late = new Promise((resolve) => setTimeout(resolve, CLOSE_FLUSH_MS).unref());
      await Promise.race([flushed.catch(() => undefined), late]);
    }
    if (this.control.sessions === this.sessions) this.control.sessions = this.sessions.local;
    this.control.remote = undefined;
    this.control.storeStatus = undefined;
    await this.store.close();
  }

  private remoteControl(): RemoteControl {
    return {
      decide: async (owner, id, actor, decision) => {
        const answer = await this.sender.send(
          owner,
          {
            kind: 'decide',
            id,
            action: decision.action,
            actor: { name: actor.name, groups: actor.groups, roles: actor.roles, via: actor.via },
            reason: decision.action === 'deny' ? decision.reason : null,
          },
          id,
        );
        if (!('request' in answer)) throw refusal(answer);
        const request = decodeApproval(answer.request);
        // Listed as decided here at once, not only when the holder's notice arrives.
        this.mirror.applyRequest(request, owner);
        return request;
      },
      kill: async (gateway, sessionId, reason) => {
        const answer = await this.sender.send(
          gateway,
          { kind: 'kill', session: sessionId, reason },
          sessionId,
        );
        if (!('killed' in answer)) throw refusal(answer);
        return answer.killed;
      },
    };
  }

  /** Connected (again): catch up with what changed meanwhile, then write what waits here. */
  private async reached(): Promise<void> {
    const { gatewayId } = this.options;
    this.log.info({ gateway: gatewayId }, 'control store reachable');
    if (!this.joined) {
      await expireLeftovers(this.store, gatewayId, this.control.approvals);
      this.joined = true;
    }
    await heartbeat(this.store, gatewayId, this.startedAt, this.sessions.local.list());
    await this.mirror.gateways();
    await this.mirror.approvals();
    await this.mirror.grants();
    await this.mirror.revocations();
    await this.server.serve();
    await this.outbox.flush();
  }

  private async tick(): Promise<void> {
    if (!this.store.up || this.ticking) return;
    this.ticking = true;
    const { gatewayId } = this.options;
    try {
      if (!this.joined) await this.reached();
      await heartbeat(this.store, gatewayId, this.startedAt, this.sessions.local.list());
      await this.mirror.gateways();
      await this.server.serve();
      await this.outbox.flush();
      const tick = this.ticks++;
      if (tick % 2 === 0) {
        await this.mirror.approvals();
        await this.mirror.grants();
        await this.mirror.revocations();
      }
      if (tick % PRUNE_EVERY_TICKS === 0) await pruneCommands(this.store);
    } catch (error) {
      // The store went away mid-way: the connection reconnects, and the next tick catches up.
      if (this.store.up) this.log.warn({ err: error }, 'control store: a periodic exchange failed');
    } finally {
      this.ticking = false;
    }
  }

  private notice(payload: string): void {
    let notice: Record<string, unknown>;
    try {
      notice = JSON.parse(payload) as Record<string, unknown>;
    } catch {
      return;
    }
    const { gatewayId } = this.options;
    if (typeof notice.at === 'number' && notice.from !== gatewayId) {
      this.lagSeconds = Math.max(0, Date.now() - notice.at) / 1000;
    }
    const id = typeof notice.id === 'string' ? notice.id : undefined;
    const ignore = () => undefined;
    switch (notice.kind) {
      case 'approval':
        if (id && notice.gateway !== gatewayId) this.mirror.approval(id).catch(ignore);
        return;
      case 'grant':
        if (id && notice.from !== gatewayId) this.mirror.grant(id).catch(ignore);
        return;
      case 'command':
        if (notice.gateway === gatewayId) this.server.serve().catch(ignore);
        return;
      case 'command-done':
        if (id) this.sender.done(id);
        return;
      case 'account':
        if (notice.status === 'revoked' && typeof notice.name === 'string') this.revoked(notice.name);
        return;
    }
  }

  private revoked(name: string): void {
    const closed = this.sessions.local.terminateIdentity(name, `service account "${name}" was revoked`);
    if (closed > 0) this.log.info({ identity: name, sessions: closed }, 'identity revoked; sessions closed');
  }
}

function refusal(answer: CommandResult): ControlError {
  if ('error' in answer) return new ControlError(answer.error.code, answer.error.message);
  return new ControlError('invalid', 'the gateway holding it gave an answer this gateway cannot read');
}
