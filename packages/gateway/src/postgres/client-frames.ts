import type { StatementAnalysis } from '@sluice/sql';
import { errorMessage, type Frame, frontend, SqlState } from '@sluice/wire-postgres';
import type { SessionMasking } from '../session-masking.js';
import type { Parameters, SessionRefusal, StatementJournal } from '../statement-journal.js';
import type { Judgement } from '../statement-judge.js';
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
  /** Terminate: whichever side closes first, the client ended the session. */
  clientTerminated(): void;
  fatal(refusal: SessionRefusal): void;
  protocolViolation(message: string): void;
}

interface Prepared {
  readonly text: string;
  readonly analysis: StatementAnalysis | undefined;
}
interface Portal extends Prepared {
  readonly parameters: Parameters;
  readonly result: PortalResult;
}

const PARAMETER_JOURNAL_LIMIT = 4096;

/**
 * In place of a blocked statement the server runs one that fails, so its transaction state
 * becomes what a failed statement leaves (aborted inside BEGIN, untouched outside) and it sends
 * ReadyForQuery itself. Its error is replaced by Sluice's before it reaches the client.
 */
const FAILING_STATEMENT = frontend.Query.encode({
  kind: 'query',
  text: "DO $sluice$BEGIN RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'sluice: blocked'; END$sluice$",
});

/**
 * Judges and journals what a client sends, frame by frame, and decides what reaches the server.
 * Statements are judged at Query and Parse, journalled at Query and Execute.
 */
export class ClientFrameHandler {
  private readonly statements = new Map<string, Prepared>();
  private readonly portals = new Map<string, Portal>();
  /** After a blocked Parse, like a server after an error: everything up to Sync is ignored. */
  private discarding = false;

  constructor(private readonly context: ClientFrameContext) {}

  onFrame(frame: Frame): void {
    if (this.discarding) {
      if (frame.code === frontend.Sync.code) this.endDiscard();
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
      case frontend.Flush.code:
      case frontend.CopyData.code:
      case frontend.CopyDone.code:
      case frontend.CopyFail.code:
        this.context.toServer(frame.bytes);
        return;
      case frontend.Terminate.code:
        this.context.clientTerminated();
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
    const judgement = this.context.judge(frontend.Query.decode(frame.bytes).text);
    if (!judgement.allowed) {
      this.block(judgement, false);
      return;
    }
    const runs: StatementRun[] = [];
    for (const statement of judgement.statements) {
      const run = this.context.journal.begin(statement.text, null, statement);
      if ('fatal' in run) {
        this.context.fatal(run);
        return;
      }
      runs.push(run);
    }
    this.forward(frame, { kind: 'query', runs, analyses: judgement.statements, current: 0, mask: null });
  }

  private onParse(frame: Frame): void {
    const refusal = this.context.journal.check();
    if (refusal) {
      this.context.fatal(refusal);
      return;
    }
    const parse = frontend.Parse.decode(frame.bytes);
    const judgement = this.context.judge(parse.text);
    if (!judgement.allowed) {
      this.block(judgement, true);
      return;
    }
    this.statements.set(parse.name, { text: parse.text, analysis: judgement.statements[0] });
    this.forward(frame, { kind: 'parse' });
  }

  private onBind(frame: Frame): void {
    const bind = frontend.Bind.decode(frame.bytes);
    const prepared = this.statements.get(bind.statement);
    this.context.tracker.portalReplaced(bind.portal);
    const parameters = bind.parameters.map((value, index) => describeParameter(value, formatOf(bind, index)));
    const { masking } = this.context;
    const result: PortalResult = { analysis: prepared?.analysis, mask: null };
    this.portals.set(bind.portal, {
      text: prepared?.text ?? `-- unknown prepared statement "${bind.statement}"`,
      analysis: prepared?.analysis,
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
    const run = this.context.journal.begin(
      bound?.text ?? `-- unknown portal "${portal}"`,
      bound?.parameters ?? null,
      bound?.analysis,
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

  /** Journals the refusal, and has the server fail in the statement's place. */
  private block(judgement: Extract<Judgement, { allowed: false }>, extended: boolean): void {
    const { decision, message, statements } = judgement;
    const texts = statements.length > 0 ? statements : [undefined];
    for (const [index, statement] of texts.entries()) {
      const reason =
        index === decision.statementIndex
          ? decision.reason
          : `not run: statement ${decision.statementIndex + 1} of the same query string was blocked`;
      const refusal = this.context.journal.blocked(
        statement?.text ?? '',
        statement,
        decision.rule,
        reason,
        message,
      );
      if (refusal) {
        this.context.fatal(refusal);
        return;
      }
    }
    this.context.tracker.expect({
      kind: 'blocked',
      error: errorMessage(SqlState.insufficientPrivilege, message),
      awaitingSync: extended,
      heldReady: null,
    });
    this.context.toServer(FAILING_STATEMENT);
    this.discarding = extended;
  }

  private endDiscard(): void {
    this.discarding = false;
    const ready = this.context.tracker.syncAfterBlock();
    if (ready) this.context.toClient(ready);
  }

  private forward(frame: Frame, expected: Expected): void {
    this.context.tracker.expect(expected);
    this.context.toServer(frame.bytes);
  }
}

function formatOf(bind: frontend.Bind, index: number): number {
  // One format code applies to all parameters; none means text (protocol-message-formats, Bind).
  if (bind.parameterFormats.length === 0) return 0;
  if (bind.parameterFormats.length === 1) return bind.parameterFormats[0] ?? 0;
  return bind.parameterFormats[index] ?? 0;
}

function describeParameter(value: Buffer | null, format: number): string | null {
  if (value === null) return null;
  const shown = value.subarray(0, PARAMETER_JOURNAL_LIMIT);
  const text = format === 0 ? shown.toString('utf8') : `\\x${shown.toString('hex')}`;
  return value.length > PARAMETER_JOURNAL_LIMIT ? `${text}…` : text;
}
