import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Password } from '../src/index.js';

function expectedAnswer(innerText: string, salt: Buffer): string {
  const inner = createHash('md5').update(innerText, 'utf8').digest('hex');
  const outer = createHash('md5')
    .update(Buffer.concat([Buffer.from(inner, 'ascii'), salt]))
    .digest('hex');
  return `md5${outer}`;
}

describe('md5Password', () => {
  it("answers AuthenticationMD5Password as 'md5' + md5hex(md5hex(password + user) + salt)", () => {
    const salt = Buffer.from([1, 2, 3, 4]);
    expect(md5Password('postgres', 'postgres', salt)).toBe(expectedAnswer('postgrespostgres', salt));
    expect(md5Password('postgres', 'postgres', salt)).toMatch(/^md5[0-9a-f]{32}$/);
  });

  it('puts the password before the user name and the salt after the inner hash', () => {
    const salt = Buffer.from([0xff, 0, 0x80, 7]);
    expect(md5Password('alice', 'sécret', salt)).toBe(expectedAnswer('sécretalice', salt));
    expect(md5Password('alice', 'sécret', salt)).not.toBe(expectedAnswer('alicesécret', salt));
    expect(md5Password('alice', 'sécret', Buffer.from([1, 2, 3, 5]))).not.toBe(
      md5Password('alice', 'sécret', salt),
    );
  });
});
