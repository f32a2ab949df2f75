import type { StatementAnalysis } from '@sluice/sql';
import { Command, ErrorCode, encodePackets, type Packet, packets } from '@sluice/wire-mysql';
import { type ApprovalStep, grantVerdict } from '../approval-gate.js';
import { ApprovalHold } from '../approval-hold.js';
import type { StatementRun } from '../postgres/reply-tracker.js';
import type { RunVerdict } from '../statement-journal.js';
import type { Judgement } from '../statement-judge.js';
import { answerWithError, type CommandContext, forwardCommand } from './command-context.js';
import { errorForApprovalRefusal, errorForRefusal } from './refusal-errors.js';
import { StatementCommands } from './statement-commands.js';

const DATABASE_SETTING = 'database';

/**
 * Judges and journals the commands a client sends and decides what reaches the server.
 * Statements are judged at COM_QUERY, COM_STMT_PREPARE and COM_INIT_DB, and journalled when
 * they run: COM_QUERY, COM_STMT_EXECUTE, COM_INIT_DB.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html
 */
export class CommandHandler {
  private readonly statementCommands: StatementCommands;
  /** Commands sent while a statement waits for approval, handled once it is decided. */
  private readonly held: ApprovalHold<Packet>;

  constructor(private readonly context: CommandContext) {
    this.held = new ApprovalHold({
      ...context,
      copy: (packet) => ({
        ...packet,
        bytes: Buffer.from(packet.bytes),
        payload: Buffer.from(packet.payload),
      }),
      replay: (packet) => this.onPacket(packet),
      // MySQL has no message a client would show while it waits.
      notify: () => undefined,
    });
    this.statementCommands = new StatementCommands(
      context,
      (text) => this.judge(text),
      (step, packet, run) => this.follow(step, packet, run),
    );
  }

  onPacket(packet: Packet): void {
    if (this.held.holding) {
      this.held.keep(packet);
      return;
    }
    const command = packet.payload[0];
    switch (command) {
      case Command.query:
        this.onQuery(packet);
        return;
      case Command.initDb:
        this.onInitDb(packet);
        return;
      case Command.fieldList:
        this.onFieldList(packet);
        return;
      case Command.ping:
      case Command.setOption:
        forwardCommand(this.context, packet.bytes, { kind: 'status' });
        return;
      case Command.statistics:
        forwardCommand(this.context, packet.bytes, { kind: 'statistics' });
        return;
      case Command.resetConnection:
        this.onResetConnection(packet);
        return;
      case Command.stmtPrepare:
      case Command.stmtExecute:
      case Command.stmtSendLongData:
      case Command.stmtClose:
      case Command.stmtReset:
      case Command.stmtFetch:
        this.statementCommands.onPacket(packet);
        return;
      case Command.quit:
        this.context.clientQuit();
        this.context.toServer(packet.bytes);
        return;
      case Command.changeUser:
        if (this.context.tracker.idle) this.context.changeUser(packet);
        else this.context.protocolViolation('COM_CHANGE_USER sent before earlier replies were read');
        return;
      case undefined:
        this.context.protocolViolation('empty command packet');
        return;
      default:
        answerWithError(
          this.context,
          packet,
          ErrorCode.unknownCommand,
          `sluice: unsupported command 0x${command.toString(16).padStart(2, '0')}`,
        );
        return;
    }
  }

  private onQuery(packet: Packet): void {
    const { context } = this;
    const refusal = context.journal.check();
    if (refusal) {
      context.fatal(refusal);
      return;
    }
    const text = packets.ComQuery.decode(packet.payload).query;
    const judgement = this.judge(text);
    if (!judgement.allowed) {
      if (judgement.approval) {
        const step = context.approvals.ask({ ...judgement, approval: judgement.approval }, text, null);
        this.follow(step, packet, (verdict) => this.runQuery(packet, text, judgement.statements, verdict));
      } else this.block(packet, judgement, text);
      return;
    }
    this.runQuery(packet, text, judgement.statements, grantVerdict(judgement.grant));
  }

  /** A refusal after all is an ERR in the command's place. */
  private follow(step: ApprovalStep, packet: Packet, run: (verdict: RunVerdict) => void): void {
    this.held.follow(step, run, (cause, message) => {
      answerWithError(this.context, packet, errorForApprovalRefusal(cause), message);
    });
  }

  private runQuery(
    packet: Packet,
    text: string,
    statements: readonly StatementAnalysis[],
    verdict: RunVerdict | undefined,
  ): void {
    const { context } = this;
    const runs = [];
    for (const statement of statements) {
      const run = context.journal.begin(statement.text, null, statement, verdict);
      if ('fatal' in run) {
        context.fatal(run);
        return;
      }
      runs.push(run);
    }
    const schemaBefore = context.reading.schema;
    context.reading.forwarded(statements);
    const schemaAfter = context.reading.schema;
    const mapped = context.mapKills(text, statements);
    const bytes =
      mapped === text
        ? packet.bytes
        : encodePackets(
            packets.ComQuery.encode({ kind: 'com-query', query: mapped, attributes: [] }),
            packet.sequenceId,
          );
    forwardCommand(
      context,
      bytes,
      { kind: 'results', cursorRequested: false },
      runs,
      (event) => {
        if (event.kind === 'error' && schemaAfter !== schemaBefore) {
          context.reading.schemaChangeFailed(schemaBefore, schemaAfter);
        }
      },
      context.masking?.results(statements, 'text'),
    );
  }

  /** COM_INIT_DB is what `USE db` does, and is judged and journalled as that statement. */
  private onInitDb(packet: Packet): void {
    const { context } = this;
    const { schema } = packets.ComInitDb.decode(packet.payload);
    const run = this.admitAs(packet, `USE ${quoteIdentifier(schema)}`);
    if (!run) return;
    const before = context.reading.schema;
    context.reading.schema = schema;
    forwardCommand(context, packet.bytes, { kind: 'status' }, [run], (event) => {
      if (event.kind === 'error') context.reading.schemaChangeFailed(before, schema);
    });
  }

  /** COM_FIELD_LIST shows a table's columns: judged and journalled as `SHOW COLUMNS`. */
  private onFieldList(packet: Packet): void {
    const { table } = packets.ComFieldList.decode(packet.payload);
    const run = this.admitAs(packet, `SHOW COLUMNS FROM ${quoteIdentifier(table)}`);
    if (run) forwardCommand(this.context, packet.bytes, { kind: 'field-list' }, [run]);
  }

  /**
   * Judges and journals a command as the one statement `text` that does what it does; returns
   * its run, or null when it was refused (and answered) or the session is ending.
   */
  private admitAs(packet: Packet, text: string): StatementRun | null {
    const { context } = this;
    const refusal = context.journal.check();
    if (refusal) {
      context.fatal(refusal);
      return null;
    }
    const judgement = this.judge(text);
    if (!judgement.allowed) {
      this.block(packet, judgement, text);
      return null;
    }
    const run = context.journal.begin(text, null, judgement.statements[0]);
    if ('fatal' in run) {
      context.fatal(run);
      return null;
    }
    return run;
  }

  private onResetConnection(packet: Packet): void {
    const { context } = this;
    this.statementCommands.resetAll();
    context.reading.reset();
    forwardCommand(context, packet.bytes, { kind: 'status' });
  }

  /**
   * The connection's policy, plus one rule of the adapter's: a `USE` followed by more statements
   * in the same string is refused, as the analyser judges a string against one default database.
   */
  private judge(text: string): Judgement {
    const judgement = this.context.judge(text);
    if (!judgement.allowed || !this.context.guarded) return judgement;
    const index = judgement.statements.slice(0, -1).findIndex(changesDatabase);
    if (index === -1) return judgement;
    const rule = 'guardrail:unfollowable-setting';
    const reason = 'a statement that changes the default database must be sent on its own';
    return {
      allowed: false,
      statements: judgement.statements,
      decision: { action: 'block', rule, reason, statementIndex: index },
      message: `sluice: blocked by ${rule}: ${reason}`,
    };
  }

  private block(packet: Packet, judgement: Extract<Judgement, { allowed: false }>, text: string): void {
    const refusal = this.context.journal.blockedString(judgement, judgement.journalText ?? text);
    if (refusal) {
      this.context.fatal(refusal);
      return;
    }
    answerWithError(this.context, packet, errorForRefusal(judgement), judgement.message);
  }
}

function changesDatabase(statement: StatementAnalysis): boolean {
  return statement.settingChanges.some((change) => change.name === DATABASE_SETTING);
}

/** A name as a backquoted identifier, for statements Sluice writes in the journal. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
