import { BackendCode } from '../codes.js';
import { type CopyResponseFields, copyResponse } from './copy-response.js';

/** Both directions stream CopyData (streaming replication only). */
export interface CopyBothResponse extends CopyResponseFields {
  readonly kind: 'copy-both-response';
}

export const CopyBothResponse = copyResponse(
  'copy-both-response',
  BackendCode.copyBothResponse,
  'CopyBothResponse',
);
