import type { StatementAnalysis } from '@sluice/sql';
import { encodePackets, errPacket, type Packet, type ServerError } from '@sluice/wire-mysql';
import type { ApprovalGate, ApprovalStep } from '../approval-gate.js';
import type { StatementRun } from '../postgres/reply-tracker.js';
import type { RunVerdict, SessionRefusal, StatementJournal } from '../statement-journal.js';
import type { Judgement } from '../statement-judge.js';
import type { ReadingState } from './reading-state.js';
import type { MysqlReplyTracker } from './reply-tracker.js';
import { type ResponseEvent, ResponseReader, type ResponseShape } from './response-reader.js';
import type { ResultMasker } from './result-masker.js';
import type { MysqlRowMasking } from './row-masking.js';
import type { RecordedFormat } from './row-recorder.js';

/** What the command handlers need from the session and the relay around them. */
export interface CommandContext {
  readonly tracker: MysqlReplyTracker;
  readonly journal: StatementJournal;
  readonly reading: ReadingState;
  /** Capabilities negotiated with the client, which the upstream login repeated. */
  readonly capabilities: number;
  /** MariaDB's extended capabilities, likewise: extended metadata shapes column definitions. */
  readonly mariadbCapabilities: number;
  /** Null when nothing is masked for the session. */
  readonly masking: MysqlRowMasking | null;
  /** Guardrails are on (strict or standard). */
  readonly guarded: boolean;
  judge(text: string): Judgement;
  /** The text with each KILL of a thread id Sluice gave out rewritten to the upstream's id. */
  mapKills(text: string, statements: readonly StatementAnalysis[]): string;
  completeStatement(run: StatementRun): void;
  /** COM_CHANGE_USER with nothing in flight: the session hands its sockets to a new sign-in. */
  changeUser(packet: Packet): void;
  /** COM_QUIT: whichever side closes first, the client ended the session. */
  clientQuit(): void;
  toServer(bytes: Buffer): void;
  fatal(refusal: SessionRefusal): void;
  protocolViolation(message: string): void;
  readonly approvals: ApprovalGate;
  /** A held command was decided: flush what its handling queued. */
  resumed(): void;
  /** False once the session has ended; a decision arriving then changes nothing. */
  active(): boolean;
  pauseClient(): void;
  resumeClient(): void;
}

/** Carries out an approval step for the command in `packet`; `run` forwards it with its verdict. */
export type FollowApproval = (step: ApprovalStep, packet: Packet, run: (verdict: RunVerdict) => void) => void;

/** Forwards a command and registers the reply it will get. */
export function forwardCommand(
  context: CommandContext,
  bytes: Buffer,
  shape: ResponseShape,
  runs: readonly StatementRun[] = [],
  observe?: (event: ResponseEvent) => void,
  masker?: ResultMasker | null,
  rowFormat: RecordedFormat = 'text',
): void {
  context.tracker.expect({
    rowFormat,
    kind: 'forwarded',
    reader: new ResponseReader(shape, context),
    runs,
    current: 0,
    leaveRunsOpen: false,
    refusedInfileAt: null,
    interruption: null,
    observe,
    masker,
    sequenceShift: 0,
  });
  context.toServer(bytes);
}

/** Answers a command with Sluice's own ERR, in the order of the replies the client awaits. */
export function answerWithError(
  context: CommandContext,
  packet: Packet,
  error: ServerError,
  message: string,
): void {
  context.tracker.expect({
    kind: 'local',
    bytes: encodePackets(errPacket(error, message), (packet.lastSequenceId + 1) % 256),
  });
}
