import { BackendCode } from '../codes.js';
import { type CopyResponseFields, copyResponse } from './copy-response.js';

/** COPY TO STDOUT data follows as CopyData messages. */
export interface CopyOutResponse extends CopyResponseFields {
  readonly kind: 'copy-out-response';
}

export const CopyOutResponse = copyResponse(
  'copy-out-response',
  BackendCode.copyOutResponse,
  'CopyOutResponse',
);
