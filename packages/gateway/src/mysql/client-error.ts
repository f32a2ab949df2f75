import { encodePackets, errPacket, type ServerError } from '@sluice/wire-mysql';
import type { MysqlReplyTracker } from './reply-tracker.js';

/**
 * An ERR packet the client can read now, whatever it was waiting for: an idle client reads it
 * with sequence id 0; in the middle of a reply it continues the reply's numbering.
 */
export function errorForClient(tracker: MysqlReplyTracker, error: ServerError, message: string): Buffer {
  const sequenceId = tracker.idle ? 0 : (tracker.lastSequenceId + 1) % 256;
  return encodePackets(errPacket(error, message), sequenceId);
}
