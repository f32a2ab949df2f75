import { lex } from '@sluice/sql';
import {
  Command,
  CursorType,
  ErrorCode,
  encodePackets,
  hasCapability,
  MysqlWireError,
  type Packet,
  packets,
  ServerStatus,
} from '@sluice/wire-mysql';
import { grantVerdict } from '../approval-gate.js';
import type { Parameters, RunVerdict } from '../statement-journal.js';
import type { Judgement } from '../statement-judge.js';
import {
  answerWithError,
  type CommandContext,
  type FollowApproval,
  forwardCommand,
} from './command-context.js';
import { parameterText } from './parameter-text.js';
import { addLongData, type PreparedStatement, PreparedStatements } from './prepared-statements.js';
import { errorForRefusal } from './refusal-errors.js';
import type { ResponseEvent } from './response-reader.js';

const CURSOR_FLAGS = CursorType.readOnly | CursorType.forUpdate | CursorType.scrollable;
const STATEMENT_ID_END = 5;

/**
 * The prepared-statement commands: judged at COM_STMT_PREPARE (a blocked statement is never
 * prepared), journalled with their parameters at every COM_STMT_EXECUTE, and a cursor's rows
 * counted across COM_STMT_FETCH.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase_ps.html
 */
export class StatementCommands {
  private readonly statements = new PreparedStatements();

  constructor(
    private readonly context: CommandContext,
    private readonly judge: (text: string) => Judgement,
    private readonly follow: FollowApproval,
  ) {}

  onPacket(packet: Packet): void {
    if (packet.payload[0] !== Command.stmtPrepare && packet.payload.length < STATEMENT_ID_END) {
      this.context.protocolViolation('statement command without a statement id');
      return;
    }
    switch (packet.payload[0]) {
      case Command.stmtPrepare:
        this.onPrepare(packet);
        return;
      case Command.stmtExecute:
        this.onExecute(packet);
        return;
      case Command.stmtSendLongData:
        this.onSendLongData(packet);
        return;
      case Command.stmtClose:
        this.onClose(packet);
        return;
      case Command.stmtReset:
        this.onReset(packet);
        return;
      case Command.stmtFetch:
        this.onFetch(packet);
        return;
    }
  }

  /** COM_RESET_CONNECTION deallocates every statement. */
  resetAll(): void {
    for (const statement of this.statements.clear()) this.closeCursor(statement);
  }

  private onPrepare(packet: Packet): void {
    const { context } = this;
    const refusal = context.journal.check();
    if (refusal) {
      context.fatal(refusal);
      return;
    }
    const text = packets.ComStmtPrepare.decode(packet.payload).query;
    const judgement = this.judge(text);
    if (!judgement.allowed && !judgement.approval) {
      const journalRefusal = context.journal.blockedString(judgement, judgement.journalText ?? text);
      if (journalRefusal) {
        context.fatal(journalRefusal);
        return;
      }
      this.statements.preparing(text, judgement.statements[0], 0, judgement.message);
      answerWithError(context, packet, errorForRefusal(judgement), judgement.message);
      return;
    }
    const statement = this.statements.preparing(text, judgement.statements[0], this.placeholders(text), null);
    // Preparing runs nothing: a statement that needs approval is held at each execute, with its parameters.
    if (!judgement.allowed && judgement.approval)
      statement.approval = { ...judgement, approval: judgement.approval };
    if (judgement.allowed) statement.grant = judgement.grant ?? null;
    const mapped = context.mapKills(text, judgement.statements);
    const bytes =
      mapped === text
        ? packet.bytes
        : encodePackets(
            packets.ComStmtPrepare.encode({ kind: 'com-stmt-prepare', query: mapped }),
            packet.sequenceId,
          );
    forwardCommand(context, bytes, { kind: 'prepare' }, [], (event) => {
      if (event.kind === 'prepared')
        this.statements.prepared(statement, event.statementId, event.parameterCount);
    });
  }

  private onExecute(packet: Packet): void {
    const { context } = this;
    const refusal = context.journal.check();
    if (refusal) {
      context.fatal(refusal);
      return;
    }
    const statementId = packet.payload.readUInt32LE(1);
    const statement = this.statements.find(statementId);
    if (statement?.refusal) {
      // A client that pipelines prepare and execute (MariaDB's "last prepared" id) must not run
      // whatever statement was prepared before the blocked one.
      answerWithError(context, packet, ErrorCode.unknownStatementHandler, statement.refusal);
      return;
    }
    if (statement) this.closeCursor(statement);
    const parameters = statement ? this.parameters(statement, packet.payload) : null;
    if (statement?.approval) {
      const step = context.approvals.ask(statement.approval, statement.text, parameters);
      this.follow(step, packet, (verdict) =>
        this.runExecute(packet, statement, statementId, parameters, verdict),
      );
      return;
    }
    this.runExecute(packet, statement, statementId, parameters, grantVerdict(statement?.grant));
  }

  private runExecute(
    packet: Packet,
    statement: PreparedStatement | undefined,
    statementId: number,
    parameters: Parameters,
    verdict: RunVerdict | undefined,
  ): void {
    const { context } = this;
    const run = context.journal.begin(
      statement?.text ?? `-- unknown prepared statement ${statementId}`,
      parameters,
      statement?.analysis,
      verdict,
    );
    if ('fatal' in run) {
      context.fatal(run);
      return;
    }
    statement?.longData.clear();
    const cursorRequested = ((packet.payload[STATEMENT_ID_END] ?? 0) & CURSOR_FLAGS) !== 0;
    const masker = context.masking?.results([statement?.analysis], 'binary') ?? null;
    forwardCommand(
      context,
      packet.bytes,
      { kind: 'results', cursorRequested },
      [run],
      (event) => {
        if (event.kind !== 'cursor-opened' || !statement) return;
        statement.cursorRun = run;
        // The rows come with COM_STMT_FETCH, masked as the execute's column definitions said.
        statement.cursorMasker = masker;
      },
      masker,
      'binary',
    );
  }

  private onSendLongData(packet: Packet): void {
    const longData = packets.ComStmtSendLongData.decode(packet.payload);
    const statement = this.statements.find(longData.statementId);
    if (statement) addLongData(statement, longData.parameterIndex, longData.data);
    this.context.toServer(packet.bytes);
  }

  private onClose(packet: Packet): void {
    const statement = this.statements.close(packet.payload.readUInt32LE(1));
    if (statement) this.closeCursor(statement);
    this.context.toServer(packet.bytes);
  }

  private onReset(packet: Packet): void {
    const statement = this.statements.find(packet.payload.readUInt32LE(1));
    if (statement) {
      statement.longData.clear();
      this.closeCursor(statement);
    }
    forwardCommand(this.context, packet.bytes, { kind: 'status' });
  }

  /** A cursor's rows belong to the execute that opened it; its run ends with the last row. */
  private onFetch(packet: Packet): void {
    const statement = this.statements.find(packet.payload.readUInt32LE(1));
    const observe = (event: ResponseEvent): void => {
      const run = statement?.cursorRun;
      if (!statement || !run) return;
      if (event.kind === 'row') run.dataRows++;
      else if (event.kind === 'error') {
        run.error = event.message;
        this.closeCursor(statement);
      } else if (event.kind === 'result-end' && hasCapability(event.statusFlags, ServerStatus.lastRowSent)) {
        this.closeCursor(statement);
      }
    };
    forwardCommand(
      this.context,
      packet.bytes,
      { kind: 'fetch' },
      [],
      observe,
      statement?.cursorMasker,
      'binary',
    );
  }

  private closeCursor(statement: PreparedStatement): void {
    const run = statement.cursorRun;
    statement.cursorRun = null;
    statement.cursorMasker = null;
    if (run) this.context.completeStatement(run);
  }

  /** Parameters as text for the journal; null when the packet cannot be read (the server will say why). */
  private parameters(statement: PreparedStatement, payload: Buffer): Parameters {
    try {
      const execute = packets.ComStmtExecute.decode(payload, {
        capabilities: this.context.capabilities,
        mariadbCapabilities: this.context.mariadbCapabilities,
        parameterCount: statement.parameterCount,
        boundTypes: statement.boundTypes,
        longDataParameters: new Set(statement.longData.keys()),
      });
      if (execute.newParamsBound) {
        statement.boundTypes = execute.parameters.map(({ type, unsigned, name }) => ({
          type,
          unsigned,
          name,
        }));
      }
      const values = execute.parameters.map((parameter, index) =>
        parameterText(parameter, statement.longData.get(index)),
      );
      // What the detectors recognise is masked before it is journalled.
      return this.context.masking?.session.parameters(values) ?? values;
    } catch (error) {
      if (error instanceof MysqlWireError) return null;
      throw error;
    }
  }

  /** Placeholders in the text: the parameter count of a statement the server has not answered for yet. */
  private placeholders(text: string): number {
    const { tokens } = lex(text, this.context.reading.state.lexer);
    return tokens.filter((token) => token.kind === 'parameter' && token.value === '?').length;
  }
}
