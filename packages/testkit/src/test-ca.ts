import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { runCommand } from './run-command.js';
import { scratchDir } from './scratch-dir.js';

/** Absolute paths of PEM files, plus the CA certificate's text for `ssl: { ca }` options. */
export interface TestCa {
  readonly dir: string;
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly caPem: string;
}

const VALID_DAYS = '30';
// P-256 keys are generated in milliseconds where RSA takes a noticeable fraction of a second.
const KEY_OPTIONS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * A certificate authority and a server certificate it signed, valid for localhost and 127.0.0.1
 * plus `hostnames` (DNS names or IP addresses), made with the openssl CLI in a fresh temp dir.
 */
export async function makeTestCa(hostnames: readonly string[] = []): Promise<TestCa> {
  const dir = scratchDir('sluice-ca-');
  const file = (name: string): string => join(dir, name);
  const caKey = file('ca-key.pem');
  const caCert = file('ca.pem');
  const serverKey = file('server-key.pem');
  const serverCert = file('server.pem');
  const request = file('server.csr');
  const extensions = file('server-extensions.cnf');

  await openssl([
    ...['req', '-x509', ...KEY_OPTIONS, '-keyout', caKey, '-out', caCert, '-days', VALID_DAYS],
    ...['-subj', '/CN=Sluice Test CA', '-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  await openssl([
    'req',
    '-new',
    ...KEY_OPTIONS,
    '-keyout',
    serverKey,
    '-out',
    request,
    '-subj',
    '/CN=localhost',
  ]);
  writeFileSync(extensions, serverExtensions(['localhost', '127.0.0.1', ...hostnames]));
  await openssl([
    ...['x509', '-req', '-in', request, '-CA', caCert, '-CAkey', caKey, '-out', serverCert],
    ...['-days', VALID_DAYS, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-extfile', extensions],
  ]);
  // libpq and some servers refuse private keys that others can read.
  chmodSync(serverKey, 0o600);
  chmodSync(caKey, 0o600);
  return { dir, caCert, serverCert, serverKey, caPem: readFileSync(caCert, 'utf8') };
}

function serverExtensions(names: readonly string[]): string {
  const alternativeNames = [...new Set(names)].map((name) => (isIP(name) ? `IP:${name}` : `DNS:${name}`));
  return [
    'basicConstraints = CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth',
    `subjectAltName = ${alternativeNames.join(', ')}`,
    '',
  ].join('\n');
}

async function openssl(args: readonly string[]): Promise<void> {
  await runCommand('openssl', args, { failureCode: 'openssl-failed' });
}
