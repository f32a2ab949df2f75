import { FrontendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** Ends an extended-protocol batch; the server answers ReadyForQuery. */
export type Sync = { readonly kind: 'sync' };
export const Sync = emptyMessage('sync', FrontendCode.sync, 'Sync');
