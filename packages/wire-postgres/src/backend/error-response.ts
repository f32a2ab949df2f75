import { BackendCode, ErrorField } from '../codes.js';
import { kindGuard, type MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';
import {
  type NoticeFields,
  type NoticeFieldsInput,
  readNoticeFields,
  writeNoticeFields,
} from './notice-fields.js';

/** An error; the server follows it with ReadyForQuery unless the severity is FATAL or PANIC. */
export interface ErrorResponse {
  readonly kind: 'error-response';
  readonly fields: NoticeFields;
}

export interface ErrorResponseCodec extends MessageCodec<ErrorResponse> {
  encode(message: { readonly kind: 'error-response'; readonly fields: NoticeFieldsInput }): Buffer;
}

export const ErrorResponse: ErrorResponseCodec = {
  code: BackendCode.errorResponse,
  is: kindGuard<ErrorResponse>('error-response'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.errorResponse, 'ErrorResponse');
    return { kind: 'error-response', fields: readNoticeFields(reader) };
  },
  encode(message) {
    return writeNoticeFields(FrameWriter.typed(BackendCode.errorResponse), message.fields, 'ErrorResponse');
  },
};

/**
 * An ErrorResponse frame with severity (localized and not), SQLSTATE and message, then `extra`
 * fields (detail 'D', hint 'H', ...). Severity is ERROR, FATAL or PANIC.
 */
export function errorMessage(
  code: string,
  message: string,
  severity = 'ERROR',
  extra?: Readonly<Record<string, string>>,
): Buffer {
  const fields = new Map<string, string>([
    [ErrorField.severity, severity],
    [ErrorField.severityNonLocalized, severity],
    [ErrorField.code, code],
    [ErrorField.message, message],
  ]);
  for (const [type, value] of Object.entries(extra ?? {})) fields.set(type, value);
  // Messages quote what a client sent (a SCRAM attribute, a name), which may hold NUL bytes; a
  // field is a C string, so each is shown as \0 rather than making the error unsendable.
  for (const [type, value] of fields) fields.set(type, value.replaceAll('\0', '\\0'));
  return ErrorResponse.encode({ kind: 'error-response', fields });
}
