import { createHash } from 'node:crypto';

/**
 * The PasswordMessage answer to AuthenticationMD5Password:
 * 'md5' + md5hex(md5hex(password + user) + salt).
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP
 */
export function md5Password(user: string, password: string, salt: Buffer): string {
  const inner = md5Hex(Buffer.from(password + user, 'utf8'));
  return `md5${md5Hex(Buffer.concat([Buffer.from(inner, 'latin1'), salt]))}`;
}

function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}
