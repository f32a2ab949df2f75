import { FrontendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** The client is closing the connection. */
export type Terminate = { readonly kind: 'terminate' };
export const Terminate = emptyMessage('terminate', FrontendCode.terminate, 'Terminate');
