/**
 * The 20-byte seed (scramble) a server sends in its greeting or an auth switch, shared by
 * mysql_native_password and caching_sha2_password.
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
 */
import { randomInt } from 'node:crypto';
import { MysqlWireError } from '../errors.js';

export const SEED_BYTES = 20;

/**
 * Printable ASCII 0x21..0x7E without '$' (93 values, about 130 bits in all). Clients read part 2
 * of the greeting's seed and an auth switch's data as NUL-terminated, so a NUL would cut the seed
 * short; '$' is avoided as MySQL does (its caching_sha2 stored format uses '$' as a separator);
 * 7-bit printable bytes survive any client that passes the seed through a character set.
 */
const SEED_ALPHABET = Buffer.from(
  Array.from({ length: 0x7e - 0x21 + 1 }, (_, index) => 0x21 + index).filter((byte) => byte !== 0x24),
);

export function createSeed(): Buffer {
  const seed = Buffer.allocUnsafe(SEED_BYTES);
  for (let index = 0; index < SEED_BYTES; index++)
    seed[index] = SEED_ALPHABET[randomInt(SEED_ALPHABET.length)] ?? 0x21;
  return seed;
}

/** The auth switch data for a seed: the seed and a NUL, as servers send it. */
export function pluginDataForSeed(seed: Buffer): Buffer {
  checkSeed(seed);
  return Buffer.concat([seed, Buffer.from([0])]);
}

/** The seed in a greeting's authPluginData or an auth switch's pluginData (first 20 bytes). */
export function seedFromPluginData(data: Buffer): Buffer {
  if (data.length < SEED_BYTES) {
    throw new MysqlWireError('auth', `plugin data of ${data.length} bytes holds no ${SEED_BYTES}-byte seed`);
  }
  return data.subarray(0, SEED_BYTES);
}

export function checkSeed(seed: Buffer): void {
  if (seed.length !== SEED_BYTES)
    throw new MysqlWireError('auth', `a seed is ${SEED_BYTES} bytes, not ${seed.length}`);
}
