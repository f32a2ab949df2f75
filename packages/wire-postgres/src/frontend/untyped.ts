import { RequestCode, SPECIAL_REQUEST_MAJOR } from '../codes.js';
import { WireError } from '../errors.js';
import { describeProtocolVersion, protocolMajor } from '../protocol-version.js';
import { MessageReader } from '../reader.js';
import { CancelRequest } from './cancel-request.js';
import { GssEncRequest } from './gssenc-request.js';
import { SslRequest } from './ssl-request.js';
import { StartupMessage } from './startup-message.js';

export type UntypedMessage = StartupMessage | SslRequest | GssEncRequest | CancelRequest;

/**
 * Decodes a startup-phase frame (no type byte) by the request code after its length.
 * Throws 'unsupported-protocol' for any protocol but 3.x and for unknown special requests.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
 */
export function decodeUntyped(frame: Buffer): UntypedMessage {
  const reader = MessageReader.untyped(frame, 'startup-phase message');
  const requestCode = reader.int32();
  switch (requestCode) {
    case RequestCode.sslRequest:
      return SslRequest.decode(frame);
    case RequestCode.gssEncRequest:
      return GssEncRequest.decode(frame);
    case RequestCode.cancelRequest:
      return CancelRequest.decode(frame);
  }
  if (protocolMajor(requestCode) === SPECIAL_REQUEST_MAJOR) {
    throw new WireError(
      'unsupported-protocol',
      `unknown request code ${describeProtocolVersion(requestCode)}`,
    );
  }
  return StartupMessage.decode(frame);
}
