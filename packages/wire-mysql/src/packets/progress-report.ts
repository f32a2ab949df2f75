/**
 * MariaDB's progress report, sent during long statements to clients with
 * MARIADB_CLIENT_PROGRESS: an ERR header with code 0xFFFF, a 1 (number of strings), stage,
 * maximum stage, progress in thousandths of a percent (int<3>) and a length-encoded description.
 * https://mariadb.com/kb/en/err_packet/ https://mariadb.com/kb/en/progress-reporting/
 */
import { PacketHeader } from '../codes.js';
import { kindGuard, type PacketCodec } from '../packet-codec.js';
import { PayloadReader } from '../reader.js';
import { PayloadWriter } from '../writer.js';
import { PROGRESS_REPORT_ERROR_CODE } from './err-packet.js';

export interface ProgressReport {
  readonly kind: 'progress-report';
  readonly stage: number;
  readonly maxStage: number;
  /** 0 to 100000: thousandths of a percent. */
  readonly progress: number;
  readonly info: string;
}

const STRING_COUNT = 1;

export const ProgressReport: PacketCodec<ProgressReport> = {
  is: kindGuard<ProgressReport>('progress-report'),
  decode(payload) {
    const reader = new PayloadReader(payload, 'ProgressReport');
    if (reader.uint8() !== PacketHeader.err || reader.uint16() !== PROGRESS_REPORT_ERROR_CODE) {
      throw reader.malformed('not an ERR header with code 0xffff');
    }
    reader.uint8();
    const stage = reader.uint8();
    const maxStage = reader.uint8();
    const progress = reader.uint24();
    const info = reader.lenencString();
    reader.end();
    return { kind: 'progress-report', stage, maxStage, progress, info };
  },
  encode(message) {
    return new PayloadWriter(10 + message.info.length)
      .uint8(PacketHeader.err)
      .uint16(PROGRESS_REPORT_ERROR_CODE)
      .uint8(STRING_COUNT)
      .uint8(message.stage)
      .uint8(message.maxStage)
      .uint24(message.progress)
      .lenencString(message.info)
      .finish();
  },
};

/** True for an ERR-headed payload that is a progress report rather than an error. */
export function isProgressReportPayload(payload: Buffer): boolean {
  return (
    payload[0] === PacketHeader.err &&
    payload.length >= 3 &&
    payload.readUInt16LE(1) === PROGRESS_REPORT_ERROR_CODE
  );
}
