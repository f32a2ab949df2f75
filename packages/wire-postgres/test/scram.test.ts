import { describe, expect, it } from 'vitest';
import { deriveScramKeys, ScramClient, ScramServer, unknownUserScramKeys, WireError } from '../src/index.js';
import { saslPrepPassword } from '../src/saslprep.js';
import { clientFinalMessage } from '../src/scram-client.js';

// RFC 7677 section 3: user "user", password "pencil".
const rfc = {
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};
const pencilKeys = deriveScramKeys('pencil', rfc.salt, 4096);

function exchange(password: string, keys = pencilKeys) {
  const client = new ScramClient(password);
  const server = new ScramServer(keys);
  const serverFirst = server.serverFirst(client.clientFirst());
  const result = server.serverFinal(client.clientFinal(serverFirst));
  return { client, result };
}

function scramErrorOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof WireError && error.code === 'scram') return error.message;
    throw error;
  }
  return undefined;
}

/** Server state after a valid client-first, ready to judge a client-final. */
function serverAwaitingFinal(): ScramServer {
  const server = new ScramServer(pencilKeys, rfc.serverNonce);
  server.serverFirst(Buffer.from(rfc.clientFirst));
  return server;
}

describe('SCRAM-SHA-256 against RFC 7677', () => {
  it('the server reproduces the published exchange byte for byte', () => {
    const server = new ScramServer(pencilKeys, rfc.serverNonce);
    expect(server.serverFirst(Buffer.from(rfc.clientFirst)).toString()).toBe(rfc.serverFirst);
    const final = server.serverFinal(Buffer.from(rfc.clientFinal));
    expect(final.ok && final.message.toString()).toBe(rfc.serverFinal);
  });

  it('the client computes the published proof and server signature', () => {
    const output = clientFinalMessage({
      password: 'pencil',
      gs2Header: 'n,,',
      clientFirstBare: 'n=user,r=rOprNGfwEbeRWgbNEkqO',
      clientNonce: rfc.clientNonce,
      serverFirst: Buffer.from(rfc.serverFirst),
    });
    expect(output.clientFinal.toString()).toBe(rfc.clientFinal);
    expect(`v=${output.serverSignature.toString('base64')}`).toBe(rfc.serverFinal);
  });

  it('the client sends the user name as * and accepts the server signature', () => {
    const client = new ScramClient('pencil', rfc.clientNonce);
    expect(client.clientFirst().toString()).toBe('n,,n=*,r=rOprNGfwEbeRWgbNEkqO');
    const server = new ScramServer(pencilKeys, rfc.serverNonce);
    const final = server.serverFinal(client.clientFinal(server.serverFirst(client.clientFirst())));
    expect(final.ok).toBe(true);
    expect(final.ok && client.verifyServerFinal(final.message)).toBe(true);
  });
});

describe('ScramClient with ScramServer', () => {
  it('succeeds with the right password and both sides verify each other', () => {
    const { client, result } = exchange('pencil');
    expect(result.ok).toBe(true);
    expect(result.ok && client.verifyServerFinal(result.message)).toBe(true);
  });

  it('fails with a wrong password', () => {
    expect(exchange('pencil2').result).toEqual({ ok: false, reason: 'invalid proof' });
  });

  it('fails for an unknown user whatever the password, with a stable salt per name', () => {
    const secret = Buffer.from('gateway secret');
    const keys = unknownUserScramKeys('mallory', secret);
    expect(exchange('', keys).result.ok).toBe(false);
    expect(exchange('pencil', keys).result.ok).toBe(false);
    expect(unknownUserScramKeys('mallory', secret)).toEqual(keys);
    expect(unknownUserScramKeys('trent', secret).salt.equals(keys.salt)).toBe(false);
    expect(keys.iterations).toBe(4096);
  });

  it('applies SASLprep to non-ASCII passwords as PostgreSQL does', () => {
    expect(saslPrepPassword('I\u00adX')).toBe('IX');
    expect(saslPrepPassword('\u2168')).toBe('IX');
    expect(saslPrepPassword('a\u00a0b')).toBe('a b');
    expect(saslPrepPassword('bell\u0007é')).toBe('bell\u0007é');
    expect(saslPrepPassword('plain ascii\u0007')).toBe('plain ascii\u0007');
    const salt = Buffer.from('salt');
    expect(deriveScramKeys('\u2168', salt, 4096)).toEqual(deriveScramKeys('IX', salt, 4096));
    const keys = deriveScramKeys('I\u00adX', rfc.salt, 4096);
    expect(exchange('IX', keys).result.ok).toBe(true);
  });
});

describe('ScramServer refuses', () => {
  it('channel binding, authorization identities, extensions and malformed client-first', () => {
    const refusals = [
      'p=tls-server-end-point,,n=,r=abc',
      'n,a=admin,n=,r=abc',
      'n,,m=ext,n=,r=abc',
      'n,,n=,r=',
      'n,,n=,r=a b',
      'n,,r=abc',
      'n,,garbage',
      'x,,n=,r=abc',
      'n,n=,r=abc',
    ];
    for (const clientFirst of refusals) {
      const server = new ScramServer(pencilKeys);
      expect(
        scramErrorOf(() => server.serverFirst(Buffer.from(clientFirst))),
        clientFirst,
      ).toBeDefined();
    }
  });

  it('accepts y,, (client supports channel binding but was not offered it)', () => {
    const server = new ScramServer(pencilKeys, rfc.serverNonce);
    const serverFirst = server.serverFirst(Buffer.from('y,,n=,r=abc'));
    const { clientFinal } = clientFinalMessage({
      password: 'pencil',
      gs2Header: 'y,,',
      clientFirstBare: 'n=,r=abc',
      clientNonce: 'abc',
      serverFirst,
    });
    expect(clientFinal.toString()).toMatch(/^c=eSws,/);
    expect(server.serverFinal(clientFinal).ok).toBe(true);
  });

  it('a tampered nonce, a flipped proof bit, a foreign channel binding, and garbage', () => {
    const tamperedNonce = rfc.clientFinal.replace('hNlF$k0', 'hNlF$k1');
    expect(serverAwaitingFinal().serverFinal(Buffer.from(tamperedNonce))).toEqual({
      ok: false,
      reason: 'nonce mismatch',
    });

    const flipped = rfc.clientFinal.replace('p=dHzb', 'p=dHzc');
    expect(serverAwaitingFinal().serverFinal(Buffer.from(flipped))).toEqual({
      ok: false,
      reason: 'invalid proof',
    });

    const foreignBinding = rfc.clientFinal.replace('c=biws', 'c=eSws');
    expect(serverAwaitingFinal().serverFinal(Buffer.from(foreignBinding)).ok).toBe(false);

    for (const garbage of [
      '',
      'c=biws',
      'p=abc',
      'c=b!ws,r=x,p=abc',
      rfc.clientFinal.replace('p=dHzb', 'p=*Hzb'),
    ]) {
      expect(serverAwaitingFinal().serverFinal(Buffer.from(garbage)).ok, garbage).toBe(false);
    }
  });

  it('a client-final before client-first, and a replayed client-final', () => {
    expect(new ScramServer(pencilKeys).serverFinal(Buffer.from(rfc.clientFinal)).ok).toBe(false);
    const server = serverAwaitingFinal();
    expect(server.serverFinal(Buffer.from(rfc.clientFinal)).ok).toBe(true);
    expect(server.serverFinal(Buffer.from(rfc.clientFinal)).ok).toBe(false);
  });
});

describe('ScramClient refuses', () => {
  it('a server nonce that does not extend its own, bad iterations and malformed server-first', () => {
    const refusals = [
      'r=someoneElse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
      `r=${rfc.clientNonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`,
      `r=${rfc.clientNonce}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0`,
      `r=${rfc.clientNonce}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-1`,
      `r=${rfc.clientNonce}x,s=not base64,i=4096`,
      `r=${rfc.clientNonce}x,s=,i=4096`,
      `m=ext,r=${rfc.clientNonce}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096`,
      `r=${rfc.clientNonce}x,i=4096`,
      'e=other-error',
    ];
    for (const serverFirst of refusals) {
      const client = new ScramClient('pencil', rfc.clientNonce);
      expect(
        scramErrorOf(() => client.clientFinal(Buffer.from(serverFirst))),
        serverFirst,
      ).toBeDefined();
    }
  });

  it('accepts a low iteration count, which PostgreSQL allows', () => {
    const client = new ScramClient('pencil', rfc.clientNonce);
    expect(
      client.clientFinal(Buffer.from(`r=${rfc.clientNonce}x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1`)).length,
    ).toBeGreaterThan(0);
  });

  it('a server-final with an error, a wrong signature, or before its own client-final', () => {
    const client = new ScramClient('pencil', rfc.clientNonce);
    expect(client.verifyServerFinal(Buffer.from(rfc.serverFinal))).toBe(false);
    const server = new ScramServer(pencilKeys, rfc.serverNonce);
    client.clientFinal(server.serverFirst(client.clientFirst()));
    expect(client.verifyServerFinal(Buffer.from('e=invalid-proof'))).toBe(false);
    expect(client.verifyServerFinal(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBe(
      false,
    );
    expect(client.verifyServerFinal(Buffer.from('v=???'))).toBe(false);
  });
});
