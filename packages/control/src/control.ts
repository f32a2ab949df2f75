import type { Actor } from './actor.js';
import type { ApprovalRequest } from './approval-types.js';
import { ApprovalBoard } from './approvals.js';
import type { Audience } from './audience.js';
import { ControlError } from './errors.js';
import { ControlEvents } from './events.js';
import type { GrantInput } from './grant-types.js';
import { GrantBook } from './grants.js';
import { type GatewayMetrics, NO_METRICS } from './metrics.js';
import type { ControlStoreStatus, Decision, RemoteControl } from './remote.js';
import { NO_SESSIONS, type SessionDirectory } from './sessions.js';

/** One readiness check of `/readyz`. */
export interface ReadinessCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /**
   * A failing check the gateway works around (the shared store is unreachable: statements keep
   * flowing from the segment log): `/readyz` reports it but stays 200, so that a load balancer
   * does not take every gateway out at once for an outage they all share.
   */
  readonly degraded?: boolean;
  /**
   * The connection the check is about (its listener, its upstream); `/readyz?connection=NAME`
   * leaves out the checks of the other connections. Absent: the whole gateway's (the journal).
   */
  readonly connection?: string;
}

export type ReadinessProbe = () => Promise<readonly ReadinessCheck[]>;

export interface GrantRequestSettings {
  readonly approvers: Audience;
  readonly minApprovals: number;
  readonly timeoutMs: number;
}

/**
 * The gateway's control state: approvals, grants, live sessions. The gateway fills in the
 * sessions and readiness; the admin API, the console and MCP act on it. No sockets here.
 */
export class Control {
  readonly events = new ControlEvents();
  readonly approvals = new ApprovalBoard(this.events);
  readonly grants = new GrantBook(this.events);
  sessions: SessionDirectory = NO_SESSIONS;
  metrics: GatewayMetrics = NO_METRICS;
  readiness: ReadinessProbe = async () => [];
  /** This gateway's name in a shared store; null when it keeps its control state to itself. */
  gatewayId: string | null = null;
  /** Set while the gateway shares a store: reaches the gateways holding mirrored requests and sessions. */
  remote: RemoteControl | undefined = undefined;
  /** Set while the gateway shares a store, for `/metrics`. */
  storeStatus: (() => ControlStoreStatus) | undefined = undefined;

  constructor() {
    // An approved `grants request` becomes the grant it asked for.
    this.events.on((event) => {
      if (event.type !== 'approval' || event.action !== 'approved') return;
      const { request } = event;
      if (request.subject.kind !== 'grant') return;
      const by = request.approvals.map((approval) => approval.by).join(', ');
      this.grants.add(request.subject.grant, by, request.id);
    });
  }

  /** An identity asks for a grant; approved like a statement, it then takes effect. */
  requestGrant(input: GrantInput, requester: Actor, settings: GrantRequestSettings): ApprovalRequest {
    return this.approvals.request({
      mode: 'ticket',
      identity: requester.name,
      groups: requester.groups,
      sessionId: null,
      connection: input.connection,
      protocol: 'admin',
      subject: { kind: 'grant', grant: input },
      rule: 'grant-request',
      reason: input.reason,
      minApprovals: settings.minApprovals,
      approvers: settings.approvers,
      recentStatements: [],
      timeoutMs: settings.timeoutMs,
      ticketTtlMs: 0,
    });
  }

  /** Approves here, or through the gateway holding the request when it is another one. */
  async approve(id: string, actor: Actor): Promise<ApprovalRequest> {
    return this.decide(id, actor, { action: 'approve' });
  }

  async deny(id: string, actor: Actor, reason: string): Promise<ApprovalRequest> {
    return this.decide(id, actor, { action: 'deny', reason });
  }

  async decide(id: string, actor: Actor, decision: Decision): Promise<ApprovalRequest> {
    const owner = this.approvals.ownerOf(id);
    if (owner === null) {
      return decision.action === 'approve'
        ? this.approvals.approve(id, actor)
        : this.approvals.deny(id, actor, decision.reason);
    }
    // Decided, expired or withdrawn is final: no need to ask the holder (which may be gone).
    const state = this.approvals.get(id)?.state;
    if (state !== undefined && state !== 'pending') {
      throw new ControlError('not-pending', `${id} is ${state}, not pending`);
    }
    if (!this.remote) throw unreachable(owner, id);
    return this.remote.decide(owner, id, actor, decision);
  }

  /** Ends a live session here or on the gateway serving it; false when there is no such session. */
  async killSession(id: string, reason: string): Promise<boolean> {
    const gateway = this.sessions.list().find((session) => session.id === id)?.gateway;
    if (gateway === undefined) return this.sessions.kill(id, reason);
    if (!this.remote) throw unreachable(gateway, id);
    return this.remote.kill(gateway, id, reason);
  }

  close(reason: string): void {
    this.approvals.expireAll(reason);
    this.grants.close();
  }
}

function unreachable(gateway: string, id: string): ControlError {
  return new ControlError('unavailable', `sluice: gateway ${gateway}, which holds ${id}, cannot be reached`);
}
