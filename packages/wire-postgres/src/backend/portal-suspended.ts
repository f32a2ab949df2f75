import { BackendCode } from '../codes.js';
import { emptyMessage } from '../message-codec.js';

/** Execute reached its row limit; the portal can be executed again for more. */
export type PortalSuspended = { readonly kind: 'portal-suspended' };
export const PortalSuspended = emptyMessage(
  'portal-suspended',
  BackendCode.portalSuspended,
  'PortalSuspended',
);
