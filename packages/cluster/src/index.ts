export { decodeApproval, encodeApproval } from './approval-codec.js';
export { ClusterSessions } from './cluster-sessions.js';
export { ANSWER_TIMEOUT_MS, type Command, type CommandResult } from './commands.js';
export { decodeGrant, encodeGrant } from './grant-codec.js';
export type { Json } from './json.js';
export { ControlLink, type ControlLinkOptions, type LinkLog } from './link.js';
export { GATEWAY_GONE_SECONDS } from './mirror.js';
export { decodeSessions, encodeSession } from './session-codec.js';
