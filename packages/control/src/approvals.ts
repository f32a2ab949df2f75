import type { Actor } from './actor.js';
import { mirroredAction, outcomeOf, sameStatement } from './approval-outcome.js';
import type { ApprovalOutcome, ApprovalRequest, NewApprovalRequest } from './approval-types.js';
import { checkDecider, whyNotDecider } from './deciders.js';
import { ControlError } from './errors.js';
import type { ApprovalAction, ControlEvents } from './events.js';
import { shortId } from './ids.js';

/** Decided requests kept for `approvals list --all` and the console's history. */
const HISTORY_LIMIT = 1000;

interface Entry {
  request: ApprovalRequest;
  /** Undefined for a mirrored request: its deadline is kept by the gateway holding it. */
  readonly timer: NodeJS.Timeout | undefined;
  readonly waiters: ((outcome: ApprovalOutcome) => void)[];
  readonly ticketTtlMs: number;
  /** The gateway holding a mirrored request (another gateway on the shared store); null for ours. */
  readonly owner: string | null;
}

/**
 * Approval requests and their decisions (SPEC §5). A held statement waits on `outcome(id)`: a
 * promise, with one timer per request for its deadline, so held statements cost nothing while
 * they wait. Pending requests live in memory only: a restart expires them. With a shared store
 * the board also lists other gateways' requests, mirrored: decided only by the gateway holding them.
 */
export class ApprovalBoard {
  private readonly entries = new Map<string, Entry>();
  private readonly decided: string[] = [];

  constructor(private readonly events: ControlEvents) {}

  request(input: NewApprovalRequest): ApprovalRequest {
    if (input.minApprovals < 1) throw new ControlError('invalid', 'min_approvals must be at least 1');
    const now = new Date();
    const id = shortId('apr');
    const request: ApprovalRequest = {
      id,
      mode: input.mode,
      state: 'pending',
      requestedAt: now,
      deadline: new Date(now.getTime() + input.timeoutMs),
      identity: input.identity,
      groups: input.groups,
      sessionId: input.sessionId,
      connection: input.connection,
      protocol: input.protocol,
      subject: input.subject,
      rule: input.rule,
      reason: input.reason,
      minApprovals: input.minApprovals,
      approvers: input.approvers,
      recentStatements: input.recentStatements,
      approvals: [],
      denial: null,
      decidedAt: null,
      ticketExpiresAt: null,
      usedAt: null,
      endReason: null,
    };
    const timer = setTimeout(() => this.expire(id), input.timeoutMs);
    timer.unref();
    this.entries.set(id, { request, timer, waiters: [], ticketTtlMs: input.ticketTtlMs, owner: null });
    this.emit('requested', request, null);
    return request;
  }

  /** Resolves when the request is decided, expires or is withdrawn. */
  outcome(id: string): Promise<ApprovalOutcome> {
    const entry = this.entry(id);
    const settled = outcomeOf(entry.request);
    if (settled) return Promise.resolve(settled);
    return new Promise((resolve) => entry.waiters.push(resolve));
  }

  get(id: string): ApprovalRequest | undefined {
    return this.entries.get(id)?.request;
  }

  /** The gateway holding a mirrored request; null for this gateway's own (or an unknown id). */
  ownerOf(id: string): string | null {
    return this.entries.get(id)?.owner ?? null;
  }

  /**
   * Applies another gateway's request as it now stands (from the shared store). Our own requests
   * are never overwritten: this gateway is the authority on them.
   */
  mirror(request: ApprovalRequest, owner: string): void {
    const entry = this.entries.get(request.id);
    if (entry && entry.owner === null) return;
    const before = entry?.request;
    const { action, actor } = mirroredAction(before, request);
    if (entry) entry.request = request;
    else this.entries.set(request.id, { request, timer: undefined, waiters: [], ticketTtlMs: 0, owner });
    this.events.mirror({ type: 'approval', action, request, actor });
    const outcome = outcomeOf(request);
    if (!outcome || (before && before.state !== 'pending')) return;
    for (const waiter of (entry?.waiters ?? []).splice(0)) waiter(outcome);
    this.remember(request.id);
  }

  /** The gateway holding these requests stopped: its pending ones will never be decided. */
  expireMirrored(owner: string, reason: string): void {
    for (const entry of [...this.entries.values()]) {
      const { request } = entry;
      if (entry.owner !== owner || request.state !== 'pending') continue;
      this.mirror({ ...request, state: 'expired', decidedAt: new Date(), endReason: reason }, owner);
    }
  }

  /** Newest first. */
  list(filter: { readonly state?: ApprovalRequest['state'] } = {}): ApprovalRequest[] {
    const all = [...this.entries.values()].map((entry) => entry.request);
    return all
      .filter((request) => !filter.state || request.state === filter.state)
      .sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime());
  }

  get pendingCount(): number {
    let count = 0;
    for (const entry of this.entries.values()) {
      if (entry.owner === null && entry.request.state === 'pending') count++;
    }
    return count;
  }

  /** Whether `actor` may decide this request; the reason why not otherwise. */
  mayDecide(actor: Actor, request: ApprovalRequest): string | null {
    return whyNotDecider(actor, request);
  }

  /** The planner's estimate of the rows a held statement touches, once the database has said. */
  setEstimate(id: string, estimatedRows: number): void {
    const entry = this.entries.get(id);
    const request = entry?.request;
    if (entry?.owner !== null || request?.state !== 'pending' || request.subject.kind !== 'statement') return;
    this.update(id, { ...request, subject: { ...request.subject, estimatedRows } }, 'estimated', null);
  }

  approve(id: string, actor: Actor): ApprovalRequest {
    const request = this.pending(id);
    checkDecider(actor, request);
    if (request.approvals.some((approval) => approval.by === actor.name)) {
      throw new ControlError('already-approved', `${actor.name} has already approved ${id}`);
    }
    const approvals = [...request.approvals, { by: actor.name, at: new Date() }];
    if (approvals.length < request.minApprovals) {
      this.update(id, { ...request, approvals }, 'approval', actor.name);
      return this.entry(id).request;
    }
    const decidedAt = new Date();
    const ttl = this.entry(id).ticketTtlMs;
    return this.settle(
      id,
      {
        ...request,
        approvals,
        state: 'approved',
        decidedAt,
        ticketExpiresAt: request.mode === 'ticket' ? new Date(decidedAt.getTime() + ttl) : null,
      },
      'approved',
      actor.name,
    );
  }

  deny(id: string, actor: Actor, reason: string): ApprovalRequest {
    const request = this.pending(id);
    checkDecider(actor, request);
    if (reason.trim() === '') throw new ControlError('reason-required', 'a denial needs a reason');
    const at = new Date();
    return this.settle(
      id,
      { ...request, state: 'denied', decidedAt: at, denial: { by: actor.name, at, reason } },
      'denied',
      actor.name,
    );
  }

  /** The client cancelled or went away, or the gateway stops: the request ends undecided. */
  withdraw(id: string, reason: string): void {
    const entry = this.entries.get(id);
    if (entry?.owner !== null || entry.request.state !== 'pending') return;
    const { request } = entry;
    this.settle(
      id,
      { ...request, state: 'withdrawn', decidedAt: new Date(), endReason: reason },
      'withdrawn',
      null,
    );
  }

  /**
   * The approved ticket for this exact statement, now used up; undefined when there is none.
   * Matching is by identity, connection, text and parameters.
   */
  useTicket(
    identity: string,
    connection: string,
    statement: string,
    parameters: string,
  ): ApprovalRequest | undefined {
    const now = Date.now();
    for (const entry of this.entries.values()) {
      const { request } = entry;
      if (entry.owner !== null) continue;
      if (request.state !== 'approved' || request.mode !== 'ticket' || request.usedAt) continue;
      if (!sameStatement(request, identity, connection, statement, parameters)) continue;
      if ((request.ticketExpiresAt?.getTime() ?? 0) <= now) continue;
      const used = { ...request, usedAt: new Date() };
      entry.request = used;
      this.emit('used', used, null);
      return used;
    }
    return undefined;
  }

  /** A pending ticket for this exact statement, so a retry does not file a second request. */
  pendingTicket(
    identity: string,
    connection: string,
    statement: string,
    parameters: string,
  ): ApprovalRequest | undefined {
    for (const { request, owner } of this.entries.values()) {
      if (
        owner === null &&
        request.state === 'pending' &&
        request.mode === 'ticket' &&
        sameStatement(request, identity, connection, statement, parameters)
      ) {
        return request;
      }
    }
    return undefined;
  }

  /** Expires every pending request (the gateway stops: nothing pending survives a restart). */
  expireAll(reason: string): void {
    for (const id of [...this.entries.keys()]) this.expire(id, reason);
  }

  private expire(id: string, reason: string | null = null): void {
    const entry = this.entries.get(id);
    if (entry?.owner !== null || entry.request.state !== 'pending') return;
    const { request } = entry;
    this.settle(
      id,
      { ...request, state: 'expired', decidedAt: new Date(), endReason: reason },
      'expired',
      null,
    );
  }

  private pending(id: string): ApprovalRequest {
    const { request, owner } = this.entry(id);
    if (owner !== null) {
      throw new ControlError('invalid', `${id} is held by gateway ${owner}, which alone decides it`);
    }
    if (request.state !== 'pending')
      throw new ControlError('not-pending', `${id} is ${request.state}, not pending`);
    return request;
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new ControlError('not-found', `no approval request ${id}`);
    return entry;
  }

  private update(id: string, request: ApprovalRequest, action: ApprovalAction, actor: string | null): void {
    this.entry(id).request = request;
    this.emit(action, request, actor);
  }

  private settle(
    id: string,
    request: ApprovalRequest,
    action: ApprovalAction,
    actor: string | null,
  ): ApprovalRequest {
    const entry = this.entry(id);
    clearTimeout(entry.timer);
    entry.request = request;
    this.emit(action, request, actor);
    const outcome = outcomeOf(request);
    if (outcome) for (const waiter of entry.waiters.splice(0)) waiter(outcome);
    this.remember(id);
    return request;
  }

  /** Decided requests stay listed (tickets need them) up to HISTORY_LIMIT, oldest dropped first. */
  private remember(id: string): void {
    this.decided.push(id);
    while (this.decided.length > HISTORY_LIMIT) {
      const oldest = this.decided.shift();
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  private emit(action: ApprovalAction, request: ApprovalRequest, actor: string | null): void {
    this.events.emit({ type: 'approval', action, request, actor });
  }
}
