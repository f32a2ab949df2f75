import { BackendCode, TransactionStatus } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

/** The server waits for the next command; `status` is idle, in a transaction, or in a failed one. */
export interface ReadyForQuery {
  readonly kind: 'ready-for-query';
  readonly status: 'I' | 'T' | 'E';
}

export const ReadyForQuery: MessageCodec<ReadyForQuery> = {
  code: BackendCode.readyForQuery,
  is: kindGuard<ReadyForQuery>('ready-for-query'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.readyForQuery, 'ReadyForQuery');
    const status = String.fromCharCode(reader.uint8());
    reader.end();
    if (!isTransactionStatus(status)) throw reader.malformed(`unknown transaction status '${status}'`);
    return { kind: 'ready-for-query', status };
  },
  encode(message) {
    return FrameWriter.typed(BackendCode.readyForQuery, 1).uint8(message.status.charCodeAt(0)).finish();
  },
};

function isTransactionStatus(status: string): status is ReadyForQuery['status'] {
  return (
    status === TransactionStatus.idle ||
    status === TransactionStatus.inTransaction ||
    status === TransactionStatus.failed
  );
}
