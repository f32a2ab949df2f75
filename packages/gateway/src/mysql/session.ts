import { randomUUID } from 'node:crypto';
import type { LiveSessionInfo } from '@sluice/control';
import {
  Command,
  ErrorCode,
  encodePackets,
  errPacket,
  MysqlWireError,
  type Packet,
  packets,
  type ServerError,
  ServerStatus,
} from '@sluice/wire-mysql';
import { ApprovalGate } from '../approval-gate.js';
import { type IdleWatch, watchIdle } from '../limits/idle-watch.js';
import { limitedJudge } from '../limits/limited-judge.js';
import { MaskedRowTooLarge } from '../limits/masked-row.js';
import type { ListenerContext } from '../listener-context.js';
import { SessionMasking } from '../session-masking.js';
import { SessionMeter } from '../session-meter.js';
import type { LiveSession } from '../session-registry.js';
import { StatementJournal } from '../statement-journal.js';
import { StatementJudge } from '../statement-judge.js';
import { StatementTimer } from '../statement-timer.js';
import { changeUser } from './change-user.js';
import { errorForClient } from './client-error.js';
import { MysqlColumnOrigins } from './column-origins.js';
import { CompressedClient } from './compressed-client.js';
import { mapKillTargets } from './kill-statement.js';
import type { MysqlListenerState } from './listener-state.js';
import { ReadingState } from './reading-state.js';
import { MysqlRelay } from './relay.js';
import { MysqlRowMasking } from './row-masking.js';
import { MysqlRowRecorder } from './row-recorder.js';
import type { MysqlSessionParts } from './session-parts.js';
import { killerOf } from './upstream-kill.js';

export type { MysqlSessionParts } from './session-parts.js';

/** An authenticated client joined to its upstream connection, from the first command to the end. */
export class MysqlSession implements LiveSession {
  readonly id = randomUUID();
  readonly closed: Promise<void>;
  endReason = 'client disconnected';
  /** The session that carries on after COM_CHANGE_USER, on the same sockets. */
  successor: MysqlSession | null = null;
  private resolveClosed: () => void = () => undefined;
  private readonly journal: StatementJournal;
  private readonly approvals: ApprovalGate;
  private meter: SessionMeter | null = null;
  private idleWatch: IdleWatch | null = null;
  private readonly relay: MysqlRelay;
  private readonly reading: ReadingState;
  private judge: StatementJudge;
  private judgeSchema: string;
  private readonly timer: StatementTimer | null;
  private readonly kill: (what: 'QUERY' | 'CONNECTION') => Promise<void>;
  /** A kill of the statement running when the session ended, until the server has acted on it. */
  private killing: Promise<void> | null = null;
  private draining = false;
  private quitting = false;
  private ended = false;

  constructor(
    private readonly parts: MysqlSessionParts,
    private readonly context: ListenerContext,
    private readonly listener: MysqlListenerState,
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
    this.approvals = new ApprovalGate(
      context.control,
      facts,
      this.journal,
      null,
      context.limits.config.maxPendingApprovalsPerIdentity,
    );
    const reportsAnsiQuotes = parts.upstream.greeting.serverVersion.includes('MariaDB');
    this.reading = new ReadingState(parts.schema, parts.collation, reportsAnsiQuotes);
    this.reading.observe(parts.upstream.statusFlags);
    this.judgeSchema = parts.schema;
    this.judge = this.judgeFor(parts.schema);
    this.kill = killerOf(context.connection.upstream, parts.upstream.greeting.connectionId, (what, error) =>
      context.log.warn({ err: error, session: this.id }, `KILL ${what} on the upstream failed`),
    );
    const limit = context.policy.maxStatementTimeMs;
    this.timer = limit === null ? null : new StatementTimer(limit, () => this.onStatementTimeout());
    const masking = SessionMasking.of(context.policy, parts.identity, context.serverSecret);
    this.relay = new MysqlRelay(
      parts.client,
      parts.clientReader.splitter,
      parts.upstream.socket,
      parts.upstream.reader.splitter,
      {
        journal: this.journal,
        approvals: this.approvals,
        recorder: context.recordRows > 0 ? new MysqlRowRecorder(context.recordRows, parts) : null,
        reading: this.reading,
        capabilities: parts.capabilities,
        mariadbCapabilities: parts.mariadbCapabilities,
        masking: masking
          ? new MysqlRowMasking(
              masking,
              parts,
              context.mysqlCatalog
                ? new MysqlColumnOrigins(context.mysqlCatalog, context.analyzer, () => this.reading.schema)
                : null,
              context.limits.config.maxMaskedRowBytes,
            )
          : null,
        guarded: context.policy.guardrails !== 'off',
        timer: this.timer,
        judge: limitedJudge(
          (text) => this.currentJudge().judge(text, this.reading.state),
          context.limits,
          () => parts.identity.name,
        ),
        mapKills: (text, statements) =>
          mapKillTargets(text, statements, (threadId) => {
            listener.withdrawHeld(threadId, parts.identity.name, 'the client killed the statement');
            return listener.upstreamThreadOf(threadId, parts.identity.name);
          }),
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
        commandDone: (statusFlags) => this.onCommandDone(statusFlags),
        changeUser: (packet) => this.onChangeUser(packet),
        clientQuit: () => {
          this.quitting = true;
        },
        fatal: (refusal) => this.end(ErrorCode.accessDenied, refusal.fatal, refusal.fatal),
        protocolViolation: (message) => this.end(ErrorCode.handshakeError, `sluice: ${message}`, message),
        clientFramingFailed: (error) => this.onClientFramingFailed(error),
        upstreamFailure: (message, cause) => {
          if (cause instanceof MaskedRowTooLarge) {
            this.end(ErrorCode.netPacketTooLarge, `sluice: ${message}`, message);
            return;
          }
          context.log.error({ session: this.id, reason: message }, 'upstream sent an unreadable packet');
          this.end(
            ErrorCode.unknownError,
            'sluice: the upstream connection failed',
            `upstream failure: ${message}`,
          );
        },
      },
    );
  }

  get identityName(): string {
    return this.parts.identity.name;
  }

  describe(): LiveSessionInfo {
    return this.journal.describe(this.reading.inTransaction);
  }

  /** Journals the session, completes the client's connection phase and starts relaying. */
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
      'mysql',
      client,
      upstream.socket,
    );
    this.listener.registerThread(this.parts.threadId, {
      identityName: identity.name,
      upstreamThreadId: upstream.greeting.connectionId,
      withdrawHeld: (reason) => this.approvals.withdraw(reason),
    });
    const ok = packets.OkPacket.encode(
      {
        kind: 'ok-packet',
        endOfRows: false,
        affectedRows: 0n,
        lastInsertId: 0n,
        statusFlags: upstream.statusFlags & ~ServerStatus.sessionStateChanged,
        warnings: 0,
        info: '',
        sessionStateChanges: null,
      },
      this.parts,
    );
    // The reader's socket: before compression starts (the login's OK is never compressed).
    this.parts.clientReader.socket.write(encodePackets(ok, this.parts.okSequenceId));
    const clientPackets = this.parts.clientReader.detach();
    this.parts.clientReader.splitter.setMaxPacketBytes(this.context.limits.config.maxMessageBytes);
    const serverPackets = upstream.reader.detach();
    for (const socket of [client, upstream.socket]) {
      socket.on('close', () =>
        this.onSocketClosed(socket === client ? 'client disconnected' : 'server closed the connection'),
      );
      socket.on('error', () => undefined);
    }
    if (client instanceof CompressedClient) {
      client.framingFailed = (error) =>
        this.end(
          ErrorCode.netUncompressError,
          `sluice: ${error.message}`,
          `client broke the protocol: ${error.message}`,
        );
    }
    this.relay.start(clientPackets, serverPackets);
    // MySQL 8 says why it closes an idle session (ER_CLIENT_INTERACTION_TIMEOUT); MariaDB
    // closes without a word, which leaves the client guessing.
    this.idleWatch = watchIdle(
      this.context.limits.config.idleSessionTimeoutMs,
      () => this.relay.tracker.idle && !this.journal.held,
      (message) => this.end(ErrorCode.clientInteractionTimeout, message, 'idle session timeout'),
      [this.parts.clientReader.socket, upstream.socket],
    );
  }

  /** Ends the session now with an error the client can read (revocation, shutdown). */
  terminate(reason: string): void {
    this.end(ErrorCode.connectionKilled, `sluice: ${reason}`, reason);
  }

  drain(): void {
    this.draining = true;
    if (this.relay.tracker.idle) this.terminate('the gateway is shutting down');
  }

  private currentJudge(): StatementJudge {
    if (this.judgeSchema !== this.reading.schema) {
      this.judgeSchema = this.reading.schema;
      this.judge = this.judgeFor(this.judgeSchema);
    }
    return this.judge;
  }

  private judgeFor(schema: string): StatementJudge {
    const { context } = this;
    return new StatementJudge(
      context.analyzer,
      () => context.policy,
      this.parts.identity,
      context.connection.name,
      schema,
      context.control.grants,
      (id) => this.listener.ownsThread(id, this.parts.identity.name),
    );
  }

  private onCommandDone(statusFlags: number | null): void {
    if (!this.relay.tracker.idle) return;
    this.timer?.stop();
    // With nothing in flight the server's flags reflect every statement sent so far.
    if (statusFlags !== null) this.reading.observe(statusFlags);
    // The reply that made the session idle is flushed after this callback returns.
    if (this.draining) queueMicrotask(() => this.terminate('the gateway is shutting down'));
  }

  private onClientFramingFailed(error: unknown): void {
    if (error instanceof MysqlWireError && error.code === 'packet-too-large') {
      this.end(
        ErrorCode.netPacketTooLarge,
        `sluice: ${error.message}`,
        'client sent a packet over the size limit',
      );
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code =
      error instanceof MysqlWireError && error.code === 'sequence'
        ? ErrorCode.netPacketsOutOfOrder
        : ErrorCode.handshakeError;
    this.end(code, `sluice: ${message}`, `client broke the protocol: ${message}`);
  }

  private end(error: ServerError, message: string, reason: string): void {
    if (this.ended) return;
    this.endReason = reason;
    this.relay.stop();
    this.killRunningStatement();
    const { client, upstream } = this.parts;
    if (!client.destroyed) client.end(errorForClient(this.relay.tracker, error, message));
    if (!upstream.socket.destroyed) upstream.socket.end(encodePackets(Buffer.from([Command.quit]), 0));
    this.finish();
  }

  private onSocketClosed(reason: string): void {
    if (this.ended) return;
    this.endReason = this.quitting ? 'client disconnected' : reason;
    this.relay.stop();
    if (reason === 'client disconnected') this.killRunningStatement();
    const { client, upstream } = this.parts;
    // A killed thread, a crashed server or a cut connection says nothing: the client is told why.
    if (reason === 'server closed the connection' && !this.quitting && !client.destroyed)
      client.end(
        errorForClient(this.relay.tracker, ErrorCode.netReadError, 'sluice: the upstream connection closed'),
      );
    else client.destroy();
    upstream.socket.destroy();
    this.finish();
  }

  /**
   * A new identity signs in on this connection: this session ends (journalled as changed to it)
   * and a new one carries on with the reset upstream; a refused change ends the connection.
   */
  private onChangeUser(packet: Packet): void {
    this.relay.handOver();
    this.timer?.stop();
    changeUser(packet, this.parts, this.context, this.listener).then(
      (outcome) => {
        if (this.ended) return;
        if (!outcome.ok) {
          this.endReason = outcome.reason;
          this.parts.upstream.socket.end(encodePackets(Buffer.from([Command.quit]), 0));
          this.finish();
          return;
        }
        this.successor = new MysqlSession(outcome.parts, this.context, this.listener);
        this.endReason = `user changed to ${outcome.parts.identity.name}`;
        this.finish();
        this.successor.open();
      },
      () => this.onSocketClosed('client disconnected'),
    );
  }

  /** The limit passed: the server stops the statement, and the client reads Sluice's error for it. */
  private onStatementTimeout(): void {
    const message = (this.timer as StatementTimer).message;
    this.relay.tracker.interrupt({ payload: errPacket(ErrorCode.queryInterrupted, message), message });
    void this.kill('QUERY');
  }

  /** A server thread busy with a statement runs it to its end even once its client has gone. */
  private killRunningStatement(): void {
    this.timer?.stop();
    // The session counts as closed once the server has killed it: a gateway that exits right
    // after its sessions close must not take an unsent KILL with it.
    if (!this.relay.tracker.idle) this.killing = this.kill('CONNECTION');
  }

  private finish(): void {
    this.ended = true;
    this.idleWatch?.stop();
    this.meter?.closed();
    this.approvals.withdraw(this.endReason);
    this.relay.tracker.abandon(`session ended: ${this.endReason}`);
    this.timer?.stop();
    this.listener.releaseThread(this.parts.threadId);
    try {
      this.context.journal.endSession(this.id, this.endReason);
    } catch (error) {
      this.context.log.error({ err: error, session: this.id }, 'could not journal the end of a session');
    }
    if (this.killing === null) this.resolveClosed();
    else void this.killing.then(this.resolveClosed);
  }
}
