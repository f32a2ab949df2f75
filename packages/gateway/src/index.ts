export { GatewayError, type GatewayErrorCode } from './errors.js';
export { type Gateway, startGateway } from './gateway.js';
export type { Listener } from './listener.js';
