/**
 * mysql_clear_password: the password itself and a NUL. Only safe over TLS; Sluice asks for it
 * to receive OIDC tokens.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_clear_text_password.html
 */
import { encodeError } from '../writer.js';
import { passwordFromTerminated } from './caching-sha2-password.js';

export function clearPasswordResponse(password: string): Buffer {
  if (password.includes('\0')) throw encodeError('a clear-text password cannot contain a NUL byte');
  return Buffer.from(`${password}\0`, 'utf8');
}

/** Throws MysqlWireError 'auth' unless the response is a NUL-terminated password. */
export function passwordFromClearResponse(response: Buffer): string {
  return passwordFromTerminated(response);
}
