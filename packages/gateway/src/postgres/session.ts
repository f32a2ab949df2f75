import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { LiveSessionInfo } from '@sluice/control';
import type { Identity } from '@sluice/identity';
import { defaultLexerState, nextLexerState } from '@sluice/sql';
import { backend, errorMessage, frontend, SqlState } from '@sluice/wire-postgres';
import { ApprovalGate } from '../approval-gate.js';
import type { FrameReader } from '../frame-reader.js';
import { type IdleWatch, watchIdle } from '../limits/idle-watch.js';
import { limitedJudge } from '../limits/limited-judge.js';
import { MaskedRowTooLarge } from '../limits/masked-row.js';
import type { ListenerContext } from '../listener-context.js';
import { SessionMasking } from '../session-masking.js';
import { SessionMeter } from '../session-meter.js';
import type { SessionOrigin } from '../session-origin.js';
import type { CancelTarget, LiveSession } from '../session-registry.js';
import { StatementJournal } from '../statement-journal.js';
import { type Judgement, type SqlReadingState, StatementJudge } from '../statement-judge.js';
import { StatementTimer } from '../statement-timer.js';
import { UPSTREAM_CONNECT_TIMEOUT_MS } from './limits.js';
import { PostgresRelay } from './relay.js';
import { PostgresRowMasking } from './row-masking.js';
import { PostgresRowRecorder } from './row-recorder.js';
import type { UpstreamSession } from './upstream.js';

export interface SessionParts {
  readonly client: Socket;
  readonly clientReader: FrameReader;
  readonly upstream: UpstreamSession;
  readonly identity: Identity;
  readonly authMethod: string;
  readonly clientAddress: string;
  readonly origin: SessionOrigin;
}

/** An authenticated client joined to its upstream connection, from the first statement to the end. */
export class PostgresSession implements LiveSession {
  readonly id = randomUUID();
  readonly closed: Promise<void>;
  endReason = 'client disconnected';
  private resolveClosed: () => void = () => undefined;
  private readonly clientSecret = randomBytes(4);
  private readonly journal: StatementJournal;
  private readonly relay: PostgresRelay;
  private readonly cancelTarget: CancelTarget;
  private readonly timer: StatementTimer | null;
  /** A cancel of the statement running when the session ended, until it is delivered. */
  private cancelling: Promise<void> | null = null;
  private draining = false;
  private readonly judge: StatementJudge;
  private readonly approvals: ApprovalGate;
  private meter: SessionMeter | null = null;
  private idleWatch: IdleWatch | null = null;
  private reading: SqlReadingState = { lexer: defaultLexerState('postgres'), unfollowable: null };
  /** Reported settings Sluice cannot follow, by name; any one of them refuses statements. */
  private readonly unfollowable = new Map<string, string>();
  private ended = false;
  private inTransaction = false;
  private quitting = false;

  constructor(
    private readonly parts: SessionParts,
    private readonly context: ListenerContext,
  ) {
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    const facts = {
      sessionId: this.id,
      identity: parts.identity,
      connection: context.connection.name,
      protocol: parts.origin.protocol,
      clientAddress: parts.clientAddress,
      clientName: parts.origin.clientName,
    } as const;
    this.journal = new StatementJournal(context.journal, facts, context.control.metrics);
    this.cancelTarget = {
      processId: parts.upstream.processId,
      secretKey: this.clientSecret,
      identityName: parts.identity.name,
      connection: context.connection.name,
      forwardCancel: () => this.forwardCancel(),
    };
    this.judge = new StatementJudge(
      context.analyzer,
      () => context.policy,
      parts.identity,
      context.connection.name,
      'public',
      context.control.grants,
      // Clients see the server's process ids, so pg_cancel_backend(pid) names them directly.
      (processId) =>
        processId === parts.upstream.processId ||
        context.registry.ownsProcess(processId, parts.identity.name, context.connection.name),
    );
    const estimates = context.estimates;
    this.approvals = new ApprovalGate(
      context.control,
      facts,
      this.journal,
      estimates ? (kind, text, parameters) => estimates.estimate(kind, text, parameters) : null,
      context.limits.config.maxPendingApprovalsPerIdentity,
    );
    const limit = context.policy.maxStatementTimeMs;
    this.timer = limit === null ? null : new StatementTimer(limit, () => this.forwardCancel());
    const masking = SessionMasking.of(context.policy, parts.identity, context.serverSecret);
    this.relay = new PostgresRelay(
      parts.client,
      parts.clientReader.splitter,
      parts.upstream.socket,
      parts.upstream.reader.splitter,
      {
        journal: this.journal,
        approvals: this.approvals,
        recorder: context.recordRows > 0 ? new PostgresRowRecorder(context.recordRows) : null,
        masking: masking
          ? new PostgresRowMasking(
              masking,
              context.catalog,
              context.analyzer,
              context.limits.config.maxMaskedRowBytes,
            )
          : null,
        timer: this.timer,
        judge: limitedJudge(
          (text) => this.judge.judge(text, this.reading),
          context.limits,
          () => parts.identity.name,
        ),
        judgeFunctionCall: (oid) => this.judgeFunctionCall(oid),
        completeStatement: (run) => {
          this.meter?.statementDone(run.startedAt, this.journal.releasedAt);
          this.timer?.statementDone(!this.relay.tracker.idle);
          const failure = this.journal.complete(run);
          if (failure)
            context.log.error(
              { err: failure, session: this.id, statement: run.id },
              'cannot journal an outcome',
            );
        },
        parameterStatus: (name, value) => this.onParameterStatus(name, value),
        transactionStatus: (status) => {
          this.inTransaction = status !== 'I';
          if (this.relay.tracker.idle) this.timer?.stop();
          // The ReadyForQuery that made the session idle is forwarded after this callback
          // returns; end the session only once it is on its way to the client.
          if (this.draining && this.relay.tracker.idle)
            queueMicrotask(() => this.terminate('the gateway is shutting down'));
        },
        refuse: (refusal) =>
          this.end(SqlState.invalidAuthorizationSpecification, refusal.fatal, refusal.fatal),
        protocolViolation: (message) => this.end(SqlState.protocolViolation, `sluice: ${message}`, message),
        clientQuit: () => {
          this.quitting = true;
        },
        upstreamFailure: (message, cause) => {
          if (cause instanceof MaskedRowTooLarge) {
            this.end(SqlState.programLimitExceeded, `sluice: ${message}`, message);
            return;
          }
          context.log.error({ session: this.id, reason: message }, 'upstream sent an unreadable message');
          this.end(
            SqlState.connectionFailure,
            'sluice: the upstream connection failed',
            `upstream failure: ${message}`,
          );
        },
      },
    );
    for (const frame of parts.upstream.parameterFrames) {
      const { name, value } = backend.ParameterStatus.decode(frame);
      this.onParameterStatus(name, value);
    }
  }

  get identityName(): string {
    return this.parts.identity.name;
  }

  describe(): LiveSessionInfo {
    return this.journal.describe(this.inTransaction);
  }

  /** Journals the session, completes the client's startup and starts relaying. */
  open(): void {
    const { client, upstream, identity } = this.parts;
    this.context.journal.startSession({
      id: this.id,
      identity: identity.name,
      groups: identity.groups,
      connection: this.context.connection.name,
      protocol: this.parts.origin.protocol,
      clientAddress: this.parts.clientAddress,
      clientName: this.parts.origin.clientName,
      authMethod: this.parts.authMethod,
    });
    this.context.registry.add(this);
    this.meter = new SessionMeter(
      this.context.control.metrics,
      this.context.connection.name,
      'postgres',
      client,
      upstream.socket,
    );
    this.context.registry.addCancelTarget(this.cancelTarget);

    // The client keeps the server's process id (tools use it with pg_terminate_backend), but
    // gets a secret of Sluice's own: cancels go through Sluice, which knows the real key.
    client.write(
      Buffer.concat([
        backend.Authentication.encode({ kind: 'authentication-ok' }),
        ...upstream.parameterFrames,
        backend.BackendKeyData.encode({
          kind: 'backend-key-data',
          processId: upstream.processId,
          secretKey: this.clientSecret,
        }),
        backend.ReadyForQuery.encode({ kind: 'ready-for-query', status: upstream.status }),
      ]),
    );
    const clientFrames = this.parts.clientReader.detach();
    this.parts.clientReader.splitter.setMaxFrameBytes(this.context.limits.config.maxMessageBytes);
    const serverFrames = upstream.reader.detach();
    for (const socket of [client, upstream.socket]) {
      socket.on('close', () =>
        this.onSocketClosed(socket === client ? 'client disconnected' : 'server closed the connection'),
      );
      socket.on('error', () => undefined);
    }
    this.relay.start(clientFrames, serverFrames);
    this.idleWatch = watchIdle(
      this.context.limits.config.idleSessionTimeoutMs,
      () => this.relay.tracker.idle && !this.journal.held,
      (message) =>
        this.end(
          this.inTransaction ? SqlState.idleInTransactionSessionTimeout : SqlState.idleSessionTimeout,
          message,
          'idle session timeout',
        ),
      [client, upstream.socket],
    );
  }

  /** Ends the session now with a FATAL error the client can read (revocation, shutdown). */
  terminate(reason: string): void {
    this.end(SqlState.adminShutdown, `sluice: ${reason}`, reason);
  }

  drain(): void {
    this.draining = true;
    if (this.relay.tracker.idle) this.terminate('the gateway is shutting down');
  }

  private end(code: string, message: string, reason: string): void {
    if (this.ended) return;
    this.endReason = reason;
    this.relay.stop();
    this.cancelRunningStatement();
    const { client, upstream } = this.parts;
    if (!client.destroyed) client.end(errorMessage(code, message, 'FATAL'));
    if (!upstream.socket.destroyed) upstream.socket.end(frontend.Terminate.encode({ kind: 'terminate' }));
    this.finish();
  }

  private onSocketClosed(reason: string): void {
    if (this.ended) return;
    this.endReason = this.quitting ? 'client disconnected' : reason;
    this.relay.stop();
    if (reason === 'client disconnected') this.cancelRunningStatement();
    const { client, upstream } = this.parts;
    // A server that crashed or a connection cut on the way says nothing: the client is told why
    // its session ends (after a FATAL the server did send, this is a second, redundant one).
    if (reason === 'server closed the connection' && !this.quitting && !client.destroyed)
      client.end(errorMessage(SqlState.connectionFailure, 'sluice: the upstream connection closed', 'FATAL'));
    else client.destroy();
    upstream.socket.destroy();
    this.finish();
  }

  private finish(): void {
    this.ended = true;
    this.idleWatch?.stop();
    this.meter?.closed();
    this.approvals.withdraw(this.endReason);
    this.relay.tracker.abandon(`session ended: ${this.endReason}`);
    this.timer?.stop();
    this.context.registry.removeCancelTarget(this.cancelTarget);
    try {
      this.context.journal.endSession(this.id, this.endReason);
    } catch (error) {
      this.context.log.error({ err: error, session: this.id }, 'could not journal the end of a session');
    }
    if (this.cancelling === null) this.resolveClosed();
    else void this.cancelling.then(this.resolveClosed);
  }

  /** The server reports settings that change how SQL text must be read; follow them or say why not. */
  /**
   * Each reported setting that changes how SQL reads is followed or, when it cannot be, keeps
   * the session's statements refused until that same setting is reported followable again: a
   * later report of another setting must not clear it.
   */
  private onParameterStatus(name: string, value: string): void {
    if (name !== 'standard_conforming_strings' && name !== 'client_encoding') return;
    const next = nextLexerState(this.reading.lexer, { name, value, scope: 'session' });
    if ('state' in next) this.unfollowable.delete(name);
    else this.unfollowable.set(name, next.unsupported);
    const [problem] = this.unfollowable.values();
    this.reading = {
      lexer: 'state' in next ? next.state : this.reading.lexer,
      unfollowable: problem ?? null,
    };
  }

  /** Fastpath calls name a function by OID only, so there is no text to judge: guardrails refuse them. */
  private judgeFunctionCall(functionOid: number): Judgement {
    if (this.context.policy.guardrails === 'off') return { allowed: true, statements: [] };
    return {
      allowed: false,
      statements: [],
      decision: {
        action: 'block',
        rule: 'guardrail:unanalysable',
        reason: `fastpath function calls (oid ${functionOid}) cannot be inspected`,
        statementIndex: 0,
      },
      message: `sluice: blocked by guardrail:unanalysable: fastpath function calls (oid ${functionOid}) cannot be inspected`,
    };
  }

  /**
   * A backend busy with a statement notices a closed connection only once the statement is done,
   * which for `pg_sleep(3600)` is an hour: the statement is cancelled before the connection closes.
   */
  private cancelRunningStatement(): void {
    this.timer?.stop();
    // The session counts as closed once the cancel is delivered: a gateway that exits right
    // after its sessions close must not take an unsent cancel with it.
    if (!this.relay.tracker.idle) this.cancelling = this.forwardCancel();
  }

  /**
   * A CancelRequest goes to the server on a new connection, with the server's own key; a
   * statement held for approval is withdrawn instead, as the server has nothing to cancel.
   */
  private forwardCancel(): Promise<void> {
    if (this.journal.held) {
      this.approvals.withdraw('the client cancelled the statement');
      return Promise.resolve();
    }
    const { host, port } = this.context.connection.upstream;
    const socket = connect({ host, port });
    const giveUp = setTimeout(() => socket.destroy(), UPSTREAM_CONNECT_TIMEOUT_MS);
    giveUp.unref();
    socket.on('error', (error) =>
      this.context.log.warn({ err: error, session: this.id }, 'cancel forwarding failed'),
    );
    const delivered = new Promise<void>((resolve) =>
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve();
      }),
    );
    socket.on('connect', () =>
      socket.end(
        frontend.CancelRequest.encode({
          kind: 'cancel-request',
          processId: this.parts.upstream.processId,
          secretKey: this.parts.upstream.secretKey,
        }),
      ),
    );
    return delivered;
  }
}
