import type { StatementAnalysis } from '@sluice/sql';
import { errorMessage, type Frame, frontend } from '@sluice/wire-postgres';
import { type ApprovalGate, type ApprovalStep, grantVerdict, type NeedsApproval } from '../approval-gate.js';
import { ApprovalHold } from '../approval-hold.js';
import type { SessionMasking } from '../session-masking.js';
import type { Parameters, RunVerdict, SessionRefusal, StatementJournal } from '../statement-journal.js';
import type { Judgement } from '../statement-judge.js';
import { describeParameter, formatOf } from './bind-parameters.js';
import { codeFor, codeForRefusal, FAILING_EXTENDED, FAILING_STATEMENT, noticeOf } from './refusals.js';
import type { Expected, PortalResult, ReplyTracker, StatementRun } from './reply-tracker.js';

/** What the client-side handler needs from the session and the relay around it. */
export interface ClientFrameContext {
  readonly tracker: ReplyTracker;
  readonly journal: StatementJournal;
  /** Null when nothing is masked for this session. */
  readonly masking: SessionMasking | null;
  judge(text: string): Judgement;
  /** Fastpath calls name a function by OID only: there is no text to judge. */
  judgeFunctionCall(functionOid: number): Judgement;
  toServer(bytes: Buffer): void;
  toClient(bytes: Buffer): void;
  fatal(refusal: SessionRefusal): void;
  protocolViolation(message: string): void;
  readonly approvals: ApprovalGate;
  /** A held statement was decided: flush what its handling queued. */
  resumed(): void;
  /** False once the session has ended; a decision arriving then changes nothing. */
  active(): boolean;
  pauseClient(): void;
  resumeClient(): void;
  /** Terminate: whichever side closes first, the client ended the session. */
  clientQuit(): void;
}

interface Prepared {
  readonly text: string;
  readonly analysis: StatementAnalysis | undefined;
  /** Set when policy says a person must approve each execution. */
  readonly approval?: NeedsApproval | undefined;
  /** The grant that allowed it, if one did. */
  readonly grant?: string | undefined;
}
interface Portal extends Prepared {
  readonly parameters: Parameters;
  readonly result: PortalResult;
}

/**
 * Judges and journals what a client sends, frame by frame, and decides what reaches the server.
 * Statements are judged at Query and Parse, journalled at Query and Execute.
 */
export class ClientFrameHandler {
  private readonly statements = new Map<string, Prepared>();
  private readonly portals = new Map<string, Portal>();
  /** After a blocked Parse, like a server after an error: everything up to Sync is ignored. */
  private discarding = false;
  /** Frames sent while a statement waits for approval, handled once it is decided. */
  private readonly held: ApprovalHold<Frame>;

  constructor(private readonly context: ClientFrameContext) {
    this.held = new ApprovalHold({
      ...context,
      copy: (frame) => ({ code: frame.code, bytes: Buffer.from(frame.bytes) }),
      replay: (frame) => this.onFrame(frame),
      notify: (notice) => context.toClient(noticeOf(notice)),
    });
  }

  onFrame(frame: Frame): void {
    if (this.held.holding) {
      this.held.keep(frame);
      return;
    }
    if (this.discarding) {
      if (frame.code === frontend.Sync.code) {
        this.discarding = false;
        this.forward(frame, { kind: 'sync' });
      }
      return;
    }
    switch (frame.code) {
      case frontend.Query.code:
        this.onQuery(frame);
        return;
      case frontend.Parse.code:
        this.onParse(frame);
        return;
      case frontend.Bind.code:
        this.onBind(frame);
        return;
      case frontend.Execute.code:
        this.onExecute(frame);
        return;
      case frontend.Describe.code:
        this.onDescribe(frame);
        return;
      case frontend.Close.code:
        this.onClose(frame);
        return;
      case frontend.Sync.code:
        this.forward(frame, { kind: 'sync' });
        return;
      case frontend.FunctionCall.code:
        this.onFunctionCall(frame);
        return;
      case frontend.Terminate.code:
        this.context.clientQuit();
        this.context.toServer(frame.bytes);
        return;
      case frontend.Flush.code:
      case frontend.CopyData.code:
      case frontend.CopyDone.code:
      case frontend.CopyFail.code:
        this.context.toServer(frame.bytes);
        return;
      default:
        this.context.protocolViolation(`unexpected message type '${String.fromCharCode(frame.code)}'`);
    }
  }

  private onQuery(frame: Frame): void {
    const refusal = this.context.journal.check();
    if (refusal) {
      this.context.fatal(refusal);
      return;
    }
    const text = frontend.Query.decode(frame.bytes).text;
    const judgement = this.context.judge(text);
    if (!judgement.allowed) {
      if (judgement.approval) {
        const step = this.context.approvals.ask({ ...judgement, approval: judgement.approval }, text, null);
        this.follow(step, (verdict) => this.runQuery(frame, judgement.statements, verdict), false);
      } else this.block(judgement, false);
      return;
    }
    this.runQuery(frame, judgement.statements, grantVerdict(judgement.grant));
  }

  private runQuery(
    frame: Frame,
    statements: readonly StatementAnalysis[],
    verdict: RunVerdict | undefined,
  ): void {
    const runs: StatementRun[] = [];
    for (const statement of statements) {
      const run = this.context.journal.begin(statement.text, null, statement, verdict);
      if ('fatal' in run) {
        this.context.fatal(run);
        return;
      }
      runs.push(run);
    }
    this.forward(frame, { kind: 'query', runs, analyses: statements, current: 0, mask: null });
  }

  /** A refusal after all, in the statement's place: the transaction is left as a failed statement leaves it. */
  private follow(step: ApprovalStep, run: (verdict: RunVerdict) => void, extended: boolean): void {
    this.held.follow(step, run, (cause, message) =>
      this.failInPlace(errorMessage(codeFor(cause), message), extended),
    );
  }

  private onParse(frame: Frame): void {
    const refusal = this.context.journal.check();
    if (refusal) {
      this.context.fatal(refusal);
      return;
    }
    const parse = frontend.Parse.decode(frame.bytes);
    const judgement = this.context.judge(parse.text);
    if (!judgement.allowed && !judgement.approval) {
      this.block(judgement, true);
      return;
    }
    if (parse.name !== '' && this.statements.has(parse.name)) this.closeFirst('statement', parse.name);
    // Preparing runs nothing: a statement that needs approval is held at each Execute, once its
    // parameters are known.
    this.statements.set(parse.name, {
      text: parse.text,
      analysis: judgement.statements[0],
      approval:
        !judgement.allowed && judgement.approval ? { ...judgement, approval: judgement.approval } : undefined,
      grant: judgement.allowed ? judgement.grant : undefined,
    });
    this.forward(frame, { kind: 'parse' });
  }

  private onBind(frame: Frame): void {
    const bind = frontend.Bind.decode(frame.bytes);
    const prepared = this.statements.get(bind.statement);
    if (bind.portal !== '' && this.portals.has(bind.portal)) this.closeFirst('portal', bind.portal);
    this.context.tracker.portalReplaced(bind.portal);
    const parameters = bind.parameters.map((value, index) => describeParameter(value, formatOf(bind, index)));
    const { masking } = this.context;
    const result: PortalResult = { analysis: prepared?.analysis, mask: null };
    this.portals.set(bind.portal, {
      text: prepared?.text ?? `-- unknown prepared statement "${bind.statement}"`,
      analysis: prepared?.analysis,
      approval: prepared?.approval,
      grant: prepared?.grant,
      parameters: masking ? masking.parameters(parameters) : parameters,
      result,
    });
    this.forward(frame, { kind: 'bind' });
    if (!masking) return;
    // Clients need not describe a portal before executing it (postgres.js describes the
    // statement once), so Sluice asks for each portal's columns itself, types and formats included.
    this.context.tracker.expect({ kind: 'describe', result, hidden: true });
    this.context.toServer(
      frontend.Describe.encode({ kind: 'describe', target: 'portal', name: bind.portal }),
    );
  }

  private onDescribe(frame: Frame): void {
    const describe = frontend.Describe.decode(frame.bytes);
    const result = describe.target === 'portal' ? this.portals.get(describe.name)?.result : undefined;
    this.forward(frame, { kind: 'describe', result: result ?? null });
  }

  private onExecute(frame: Frame): void {
    const { portal } = frontend.Execute.decode(frame.bytes);
    const resumed = this.context.tracker.takeSuspended(portal);
    const bound = this.portals.get(portal);
    if (resumed) {
      this.forward(frame, { kind: 'execute', run: resumed, portal, result: bound?.result ?? null });
      return;
    }
    if (!bound && this.context.masking) {
      this.refuseUnboundPortal(portal);
      return;
    }
    if (bound?.approval) {
      const step = this.context.approvals.ask(bound.approval, bound.text, bound.parameters);
      this.follow(step, (verdict) => this.runExecute(frame, portal, bound, verdict), true);
      return;
    }
    this.runExecute(frame, portal, bound, grantVerdict(bound?.grant));
  }

  private runExecute(
    frame: Frame,
    portal: string,
    bound: Portal | undefined,
    verdict: RunVerdict | undefined,
  ): void {
    const run = this.context.journal.begin(
      bound?.text ?? `-- unknown portal "${portal}"`,
      bound?.parameters ?? null,
      bound?.analysis,
      verdict,
    );
    if ('fatal' in run) {
      this.context.fatal(run);
      return;
    }
    this.forward(frame, { kind: 'execute', run, portal, result: bound?.result ?? null });
  }

  private onClose(frame: Frame): void {
    const close = frontend.Close.decode(frame.bytes);
    if (close.target === 'statement') this.statements.delete(close.name);
    else {
      this.context.tracker.portalReplaced(close.name);
      this.portals.delete(close.name);
    }
    this.forward(frame, { kind: 'close' });
  }

  /**
   * A name that is reused while the server still holds it: the server would refuse the new Parse
   * or Bind and keep the old statement, which Sluice would then judge, mask and journal as the
   * new one (and a ROLLBACK keeps it usable). Closed first, server and Sluice agree on what runs.
   */
  private closeFirst(target: 'statement' | 'portal', name: string): void {
    this.context.tracker.expect({ kind: 'close', hidden: true });
    this.context.toServer(frontend.Close.encode({ kind: 'close', target, name }));
  }

  private onFunctionCall(frame: Frame): void {
    const refusal = this.context.journal.check();
    if (refusal) {
      this.context.fatal(refusal);
      return;
    }
    const call = frontend.FunctionCall.decode(frame.bytes);
    const judgement = this.context.judgeFunctionCall(call.functionOid);
    if (!judgement.allowed) {
      this.block(judgement, false);
      return;
    }
    const run = this.context.journal.begin(
      `-- fastpath function call: oid ${call.functionOid}`,
      null,
      undefined,
    );
    if ('fatal' in run) {
      this.context.fatal(run);
      return;
    }
    this.forward(frame, { kind: 'query', runs: [run], current: 0 });
  }

  /**
   * A portal Sluice did not see bound is a cursor declared in SQL (`DECLARE c CURSOR`): its rows
   * come without the statement their columns are masked by. FETCH reads it as a judged statement.
   */
  private refuseUnboundPortal(portal: string): void {
    const reason = `Execute of portal "${portal}", which was not bound through Sluice, cannot be masked; read SQL cursors with FETCH`;
    this.block(
      {
        allowed: false,
        statements: [],
        decision: { action: 'block', rule: 'masking', reason, statementIndex: 0 },
        message: `sluice: blocked by masking: ${reason}`,
      },
      true,
    );
  }

  /** Journals the refusal, and has the server fail in the statement's place. */
  private block(judgement: Extract<Judgement, { allowed: false }>, extended: boolean): void {
    const refusal = this.context.journal.blockedString(judgement, judgement.journalText ?? '');
    if (refusal) {
      this.context.fatal(refusal);
      return;
    }
    this.failInPlace(errorMessage(codeForRefusal(judgement), judgement.message), extended);
  }

  /** The server runs a failing statement in place of the refused one; the client gets `error`. */
  private failInPlace(error: Buffer, extended: boolean): void {
    this.context.tracker.expect({ kind: 'blocked', error, extended });
    this.context.toServer(extended ? FAILING_EXTENDED : FAILING_STATEMENT);
    this.discarding = extended;
    // The failing statement took the unnamed statement's and portal's place on the server.
    if (extended) {
      this.statements.delete('');
      this.portals.delete('');
    }
  }

  private forward(frame: Frame, expected: Expected): void {
    this.context.tracker.expect(expected);
    this.context.toServer(frame.bytes);
  }
}
