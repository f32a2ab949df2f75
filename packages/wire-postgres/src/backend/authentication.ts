import { AuthenticationCode, BackendCode } from '../codes.js';
import { WireError } from '../errors.js';
import type { MessageCodec } from '../message-codec.js';
import { MessageReader } from '../reader.js';
import { FrameWriter } from '../writer.js';

const MD5_SALT_BYTES = 4;

/**
 * Every Authentication ('R') request. Methods Sluice does not speak (Kerberos, GSS, SSPI) decode
 * to `authentication-unsupported` with their code, so the caller can name them in an error.
 */
export type Authentication =
  | { readonly kind: 'authentication-ok' }
  | { readonly kind: 'authentication-cleartext-password' }
  | { readonly kind: 'authentication-md5-password'; readonly salt: Buffer }
  | { readonly kind: 'authentication-sasl'; readonly mechanisms: readonly string[] }
  | { readonly kind: 'authentication-sasl-continue'; readonly data: Buffer }
  | { readonly kind: 'authentication-sasl-final'; readonly data: Buffer }
  | { readonly kind: 'authentication-unsupported'; readonly method: number };

export const Authentication: MessageCodec<Authentication> = {
  code: BackendCode.authentication,
  is: (message): message is Authentication => message.kind.startsWith('authentication-'),
  decode(frame) {
    const reader = MessageReader.typed(frame, BackendCode.authentication, 'Authentication');
    const method = reader.int32();
    switch (method) {
      case AuthenticationCode.ok:
        reader.end();
        return { kind: 'authentication-ok' };
      case AuthenticationCode.cleartextPassword:
        reader.end();
        return { kind: 'authentication-cleartext-password' };
      case AuthenticationCode.md5Password: {
        const salt = reader.bytes(MD5_SALT_BYTES);
        reader.end();
        return { kind: 'authentication-md5-password', salt };
      }
      case AuthenticationCode.sasl:
        return { kind: 'authentication-sasl', mechanisms: readMechanisms(reader) };
      case AuthenticationCode.saslContinue:
        return { kind: 'authentication-sasl-continue', data: reader.rest() };
      case AuthenticationCode.saslFinal:
        return { kind: 'authentication-sasl-final', data: reader.rest() };
      default:
        // Method-specific data (GSS tokens) is irrelevant once the method is known to be unsupported.
        return { kind: 'authentication-unsupported', method };
    }
  },
  encode(message) {
    const writer = FrameWriter.typed(BackendCode.authentication);
    switch (message.kind) {
      case 'authentication-ok':
        return writer.int32(AuthenticationCode.ok).finish();
      case 'authentication-cleartext-password':
        return writer.int32(AuthenticationCode.cleartextPassword).finish();
      case 'authentication-md5-password':
        if (message.salt.length !== MD5_SALT_BYTES) {
          throw new WireError('malformed', `AuthenticationMD5Password: salt must be ${MD5_SALT_BYTES} bytes`);
        }
        return writer.int32(AuthenticationCode.md5Password).bytes(message.salt).finish();
      case 'authentication-sasl':
        writer.int32(AuthenticationCode.sasl);
        for (const mechanism of message.mechanisms) {
          if (mechanism === '') throw new WireError('malformed', 'AuthenticationSASL: empty mechanism name');
          writer.cstring(mechanism);
        }
        return writer.uint8(0).finish();
      case 'authentication-sasl-continue':
        return writer.int32(AuthenticationCode.saslContinue).bytes(message.data).finish();
      case 'authentication-sasl-final':
        return writer.int32(AuthenticationCode.saslFinal).bytes(message.data).finish();
      case 'authentication-unsupported':
        return writer.int32(message.method).finish();
    }
  },
};

/** Mechanism names, each a C string, ended by an empty one. */
function readMechanisms(reader: MessageReader): string[] {
  const mechanisms: string[] = [];
  for (let name = reader.cstring(); name !== ''; name = reader.cstring()) mechanisms.push(name);
  reader.end();
  return mechanisms;
}
