import type { Actor } from './actor.js';
import type { ApprovalRequest } from './approval-types.js';
import { ApprovalBoard } from './approvals.js';
import type { Audience } from './audience.js';
import { ControlEvents } from './events.js';
import type { GrantInput } from './grant-types.js';
import { GrantBook } from './grants.js';
import { type GatewayMetrics, NO_METRICS } from './metrics.js';
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

  close(reason: string): void {
    this.approvals.expireAll(reason);
    this.grants.close();
  }
}
