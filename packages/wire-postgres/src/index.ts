export * as backend from './backend/index.js';
export { errorMessage } from './backend/index.js';
export {
  AuthenticationCode,
  BackendCode,
  ErrorField,
  FrontendCode,
  RequestCode,
  SqlState,
  type SqlStateCode,
  TransactionStatus,
} from './codes.js';
export { WireError, type WireErrorCode } from './errors.js';
export { type Frame, FrameSplitter, type FrameSplitterOptions } from './frame.js';
export * as frontend from './frontend/index.js';
export { decodeUntyped, type UntypedMessage } from './frontend/untyped.js';
export { md5Password } from './md5.js';
export type { MessageCodec } from './message-codec.js';
export { describeProtocolVersion } from './protocol-version.js';
export { saslPrepPassword } from './saslprep.js';
export { type SaltedPasswordOf, ScramClient } from './scram-client.js';
export {
  DEFAULT_SCRAM_ITERATIONS,
  deriveScramKeys,
  SCRAM_SHA_256,
  type ScramVerifierKeys,
  saltedPassword,
  unknownUserScramKeys,
} from './scram-keys.js';
export { ScramServer, type ScramServerFinal } from './scram-server.js';
