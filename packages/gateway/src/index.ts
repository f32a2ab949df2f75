export { journalControlEvents, restoreGrants } from './control-journal.js';
export { GatewayError, type GatewayErrorCode } from './errors.js';
export { type Gateway, type GatewayOptions, type ReloadResult, startGateway } from './gateway.js';
export type { Listener } from './listener.js';
