import { execFile } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect as connectTls, createServer, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCa, type TestCa } from '../src/index.js';

let ca: TestCa;
beforeAll(async () => {
  ca = await makeTestCa(['gateway.test', '10.1.2.3']);
});
afterAll(() => rmSync(ca.dir, { recursive: true, force: true }));

function openssl(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('openssl', [...args], (error, stdout, stderr) =>
      error ? reject(new Error(stderr)) : resolve(stdout),
    );
  });
}

describe('makeTestCa', () => {
  it('makes a server certificate that openssl verifies against the CA', async () => {
    expect(await openssl(['verify', '-CAfile', ca.caCert, ca.serverCert])).toContain(': OK');
  });

  it('names localhost, 127.0.0.1 and the extra names in the subject alternative names', async () => {
    const text = await openssl(['x509', '-in', ca.serverCert, '-noout', '-ext', 'subjectAltName']);
    expect(text).toContain('DNS:localhost');
    expect(text).toContain('IP Address:127.0.0.1');
    expect(text).toContain('DNS:gateway.test');
    expect(text).toContain('IP Address:10.1.2.3');
  });

  it('gives the CA as text and keeps the private key private', () => {
    expect(ca.caPem).toBe(readFileSync(ca.caCert, 'utf8'));
    expect(ca.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(statSync(ca.serverKey).mode & 0o077).toBe(0);
  });

  describe('in a TLS handshake', () => {
    const server = createServer({}, (socket) => socket.end('hello'));
    let port = 0;
    beforeAll(async () => {
      server.setSecureContext({ cert: readFileSync(ca.serverCert), key: readFileSync(ca.serverKey) });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    function handshake(servername: string | undefined, trusted: string | undefined): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket: TLSSocket = connectTls({ host: '127.0.0.1', port, servername, ca: trusted }, () => {
          socket.once('data', (data) => resolve(data.toString()));
        });
        socket.once('error', reject);
      });
    }

    it('is trusted by a client that trusts the CA, by name and by IP address', async () => {
      expect(await handshake('localhost', ca.caPem)).toBe('hello');
      expect(await handshake(undefined, ca.caPem)).toBe('hello');
    });

    it('is refused by a client that does not trust the CA', async () => {
      await expect(handshake('localhost', undefined)).rejects.toThrow(
        /self[- ]signed|unable to verify|issuer/i,
      );
    });
  });
});
