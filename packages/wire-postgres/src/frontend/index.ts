import type { Bind } from './bind.js';
import type { CancelRequest } from './cancel-request.js';
import type { Close } from './close.js';
import type { CopyData } from './copy-data.js';
import type { CopyDone } from './copy-done.js';
import type { CopyFail } from './copy-fail.js';
import type { Describe } from './describe.js';
import type { Execute } from './execute.js';
import type { Flush } from './flush.js';
import type { FunctionCall } from './function-call.js';
import type { GssEncRequest } from './gssenc-request.js';
import type { Parse } from './parse.js';
import type { PasswordMessage } from './password-message.js';
import type { Query } from './query.js';
import type { SaslInitialResponse } from './sasl-initial-response.js';
import type { SaslResponse } from './sasl-response.js';
import type { SslRequest } from './ssl-request.js';
import type { StartupMessage } from './startup-message.js';
import type { Sync } from './sync.js';
import type { Terminate } from './terminate.js';

export { Bind } from './bind.js';
export { CancelRequest } from './cancel-request.js';
export { Close } from './close.js';
export { CopyData } from './copy-data.js';
export { CopyDone } from './copy-done.js';
export { CopyFail } from './copy-fail.js';
export { Describe } from './describe.js';
export { Execute } from './execute.js';
export { Flush } from './flush.js';
export { FunctionCall } from './function-call.js';
export { GssEncRequest } from './gssenc-request.js';
export { Parse } from './parse.js';
export { PasswordMessage } from './password-message.js';
export { Query } from './query.js';
export { SaslInitialResponse } from './sasl-initial-response.js';
export { SaslResponse } from './sasl-response.js';
export { SslRequest } from './ssl-request.js';
export { StartupMessage } from './startup-message.js';
export { Sync } from './sync.js';
export type { Target } from './target.js';
export { Terminate } from './terminate.js';
export { decodeUntyped, type UntypedMessage } from './untyped.js';

/** Every message a client sends. */
export type Message =
  | StartupMessage
  | SslRequest
  | GssEncRequest
  | CancelRequest
  | PasswordMessage
  | SaslInitialResponse
  | SaslResponse
  | Query
  | Parse
  | Bind
  | Describe
  | Execute
  | Close
  | Sync
  | Flush
  | Terminate
  | CopyData
  | CopyDone
  | CopyFail
  | FunctionCall;
