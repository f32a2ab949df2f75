import { chmodSync, existsSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { type ScratchPostgres, scratchDir, startPostgres } from '@sluice/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';

const LOCAL = `local:${userInfo().username}`;
let pgServer: ScratchPostgres;
let dir: string;
let config: string;
let socket: string;
let gateway: RunningGateway | undefined;
const env = (): NodeJS.ProcessEnv => ({ ORDERS_DB_PASSWORD: pgServer.rolePassword });
const cli = (args: readonly string[]) => sluice([...args, '--config', config], env());

/** A configuration with no `admin` section: the CLI reaches the gateway on its socket only. */
function writeConfig(file: string, journal: string): void {
  writeFileSync(
    file,
    `journal:
  path: ${journal}
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://${pgServer.roles.scram}@127.0.0.1:${pgServer.port}/${pgServer.database}
    upstream_password: \${ORDERS_DB_PASSWORD}
    policy: gate
policies:
  gate:
    guardrails: off
    rules:
      - name: updates-need-approval
        match: { kind: [update] }
        action: approve
`,
  );
}

async function startGatewayProcess(): Promise<RunningGateway> {
  const running = await startCli(config, 1, env());
  const deadline = Date.now() + 10_000;
  while (!running.logs.some((entry) => entry.msg === 'admin socket ready')) {
    if (Date.now() > deadline) throw new Error('the admin socket did not open');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return running;
}

async function stopGateway(signal: NodeJS.Signals): Promise<void> {
  const running = gateway;
  gateway = undefined;
  if (!running) return;
  running.process.kill(signal);
  await running.exited.catch(() => undefined);
}

function pgUrl(user: string, secret: string): string {
  const port = gateway?.ports.get('orders');
  return `postgres://${user}:${encodeURIComponent(secret)}@127.0.0.1:${port}/${pgServer.database}`;
}

interface Entry {
  readonly type: string;
  readonly ref: string | null;
  readonly payload: Record<string, unknown>;
}

async function journalEntries(): Promise<Entry[]> {
  const tail = await cli(['audit', 'tail', '-n', '1000', '--json']);
  expect(tail.stderr).toBe('');
  return JSON.parse(tail.stdout) as Entry[];
}

/**
 * The records of one account or grant (`ref`) with the admin calls that made them, and who made
 * each. A call that creates names nothing in its path: it is the record right after the change.
 */
async function changesTo(ref: string, type = 'account'): Promise<string[]> {
  const kept: string[] = [];
  let previousKept = false;
  for (const entry of await journalEntries()) {
    const change = entry.type === type && (entry.ref === ref || entry.payload.account === ref);
    const call = entry.type === 'admin' && (entry.ref === ref || (entry.ref === null && previousKept));
    previousKept = change;
    if (change) kept.push(`${entry.type} ${entry.payload.action} by ${entry.payload.actor}`);
    if (call) kept.push(`${entry.type} ${entry.payload.path} by ${entry.payload.actor}`);
  }
  return kept;
}

const SECRET_LINES =
  /^secret: (\S+)\nThis secret is shown once; Sluice keeps only a verifier\. Use it as the password\.\n$/;

beforeAll(async () => {
  pgServer = await startPostgres();
  dir = scratchDir('sluice-sock-');
  config = join(dir, 'sluice.yaml');
  writeConfig(config, './sluice.db');
  socket = join(dir, 'sluice.db.sock');
  await pgServer.psql('CREATE TABLE orders (id int PRIMARY KEY, item text); GRANT ALL ON orders TO PUBLIC;');
  await pgServer.psql("INSERT INTO orders VALUES (1, 'one');");
});

afterAll(async () => {
  await stopGateway('SIGKILL');
  await pgServer?.stop();
});

// Each test runs the CLI several times, each a Node process that loads every package.
describe('with no gateway running, writes work on the journal file', { timeout: 120_000 }, () => {
  it('adds, modifies, rotates and revokes an agent, each journalled as the local owner', async () => {
    const added = await cli(['agents', 'add', 'offline-bot', '--group', 'ci']);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/^created service account offline-bot \(groups: ci\)\n/);
    expect(added.stdout.split('\n').slice(1).join('\n')).toMatch(SECRET_LINES);
    const modified = await cli(['agents', 'modify', 'offline-bot', '--group', 'etl', '--expires', '30d']);
    expect(modified.stdout).toMatch(/^modified service account offline-bot \(groups: etl\), expires 20\d\d-/);
    expect((await cli(['agents', 'rotate', 'offline-bot'])).stdout).toMatch(
      /^rotated the secret of offline-bot\nsecret: /,
    );
    const revoked = await cli(['agents', 'revoke', 'offline-bot', '--reason', 'test']);
    expect(revoked).toMatchObject({
      code: 0,
      stdout: 'revoked service account offline-bot; its open sessions were closed\n',
    });
    expect(await changesTo('offline-bot')).toEqual([
      `account create by ${LOCAL}`,
      `admin /api/agents by ${LOCAL}`,
      `account modify by ${LOCAL}`,
      `admin /api/agents/offline-bot/modify by ${LOCAL}`,
      `account rotate by ${LOCAL}`,
      `admin /api/agents/offline-bot/rotate by ${LOCAL}`,
      `account revoke by ${LOCAL}`,
      `admin /api/agents/offline-bot/revoke by ${LOCAL}`,
    ]);
    const again = await cli(['agents', 'revoke', 'offline-bot']);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/^sluice: .*revoked.*\n$/) });
  });

  it('adds and revokes a grant in the journal, and finds no held statement to approve', async () => {
    const grant = ['grants', 'add', '--identity', 'someone', '--connection', 'orders', '--allow', 'write'];
    const added = await cli([...grant, '--for', '30m', '--reason', 'offline', '--json']);
    expect(added.stderr).toBe('');
    const { id } = JSON.parse(added.stdout) as { id: string };
    expect((await cli(['grants', 'revoke', id])).stdout).toBe(`revoked ${id}\n`);
    expect(await changesTo(id, 'grant')).toEqual([
      `grant created by ${LOCAL}`,
      `admin /api/grants by ${LOCAL}`,
      `grant revoked by ${LOCAL}`,
      `admin /api/grants/${id}/revoke by ${LOCAL}`,
    ]);
    const approved = await cli(['approvals', 'approve', 'apr-none']);
    expect(approved).toMatchObject({ code: 1, stderr: 'sluice: no approval request apr-none\n' });
  });
});

describe("a socket that is not the gateway's", () => {
  it('is refused, not trusted, when others may connect to it', async () => {
    const journal = join(dir, 'rogue.db');
    expect((await sluice(['agents', 'add', 'first-bot', '--journal', journal])).code).toBe(0);
    // It only needs to accept: the CLI must refuse it before sending anything.
    const rogue = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rogue.listen(`${journal}.sock`, resolve));
    chmodSync(`${journal}.sock`, 0o666);
    try {
      const result = await sluice(['agents', 'add', 'second-bot', '--journal', journal]);
      expect(result).toMatchObject({
        code: 1,
        stderr: `sluice: refusing the admin socket ${journal}.sock: it is not the owner-only socket of the journal's owner (mode 666, uid ${userInfo().uid}); remove it\n`,
      });
    } finally {
      await new Promise((resolve) => rogue.close(resolve));
    }
  });
});

describe('with a gateway running and no admin section, writes go through its socket', {
  timeout: 120_000,
}, () => {
  beforeAll(async () => {
    gateway = await startGatewayProcess();
  });

  it('serves the API on an owner-only socket beside the journal, and no TCP port', () => {
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(gateway?.logs.some((entry) => entry.msg === 'admin API ready')).toBe(false);
  });

  it('adds an agent that signs in at once, and ends its open session within a second of its revocation', async () => {
    const added = await cli(['agents', 'add', 'live-bot', '--group', 'ci', '--json']);
    expect(added.stderr).toBe('');
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const client = new pg.Client({ connectionString: pgUrl('live-bot', secret) });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    let endedAt = 0;
    const ended = new Promise<Error>((resolve) =>
      client.on('error', (error) => {
        endedAt = Date.now();
        resolve(error);
      }),
    );
    const asked = Date.now();
    const revoked = await cli(['agents', 'revoke', 'live-bot', '--reason', 'leaked']);
    const answered = Date.now();
    expect(revoked).toMatchObject({
      code: 0,
      stdout: 'revoked service account live-bot; its open sessions were closed\n',
    });
    const error = await Promise.race([
      ended,
      new Promise<Error>((resolve) => setTimeout(() => resolve(new Error('still open')), 1000)),
    ]);
    expect(error.message).toBe('sluice: service account "live-bot" was revoked');
    // The gateway ends the session before it answers the CLI: no polling of the journal.
    expect(endedAt - answered).toBeLessThan(1000);
    console.info(
      `revocation: session ended ${endedAt - asked} ms after the CLI started, ${endedAt - answered} ms after it answered`,
    );
    await client.end().catch(() => undefined);
    await expect(new pg.Client({ connectionString: pgUrl('live-bot', secret) }).connect()).rejects.toThrow(
      'sluice: service account "live-bot" is revoked',
    );
    expect(await changesTo('live-bot')).toEqual([
      `account create by ${LOCAL}`,
      `admin /api/agents by ${LOCAL}`,
      `account revoke by ${LOCAL}`,
      `admin /api/agents/live-bot/revoke by ${LOCAL}`,
    ]);
    // Every admin call of this file came over the socket or in process: the local owner's.
    const admin = (await journalEntries()).filter((entry) => entry.type === 'admin');
    expect(new Set(admin.map((entry) => `${entry.payload.via} ${entry.payload.actor}`))).toEqual(
      new Set([`local ${LOCAL}`]),
    );
  });

  it('approves a held statement and adds a grant through the socket', async () => {
    const added = await cli(['agents', 'add', 'writer-bot', '--json']);
    const { secret } = JSON.parse(added.stdout) as { secret: string };
    const client = new pg.Client({ connectionString: pgUrl('writer-bot', secret) });
    await client.connect();
    try {
      const update = client.query("UPDATE orders SET item = 'approved' WHERE id = 1");
      let pending: { id: string }[] = [];
      const deadline = Date.now() + 10_000;
      while (pending.length === 0 && Date.now() < deadline) {
        const listed = await cli(['approvals', 'list', '--state', 'pending', '--json']);
        pending = JSON.parse(listed.stdout) as { id: string }[];
      }
      expect(pending).toHaveLength(1);
      const id = pending[0]?.id ?? '';
      const approved = await cli(['approvals', 'approve', id]);
      expect(approved).toMatchObject({ code: 0, stdout: `approved ${id} (${LOCAL})\n` });
      expect((await update).rowCount).toBe(1);

      const grant = ['grants', 'add', '--identity', 'writer-bot', '--connection', 'orders'];
      const granted = await cli([
        ...grant,
        '--allow',
        'approve-free',
        '--for',
        '30m',
        '--reason',
        'bulk fix',
      ]);
      const grantId = /^granted (\S+): approve-free on orders until /.exec(granted.stdout)?.[1];
      expect(grantId).toBeDefined();
      // The grant takes effect in the running gateway at once: the next update is not held.
      expect((await client.query("UPDATE orders SET item = 'granted' WHERE id = 1")).rowCount).toBe(1);
      expect((await cli(['grants', 'revoke', grantId ?? ''])).stdout).toBe(`revoked ${grantId}\n`);
      const approvals = (await journalEntries()).filter(
        (entry) => entry.type === 'admin' && entry.ref === id,
      );
      expect(approvals.map((entry) => entry.payload.actor)).toEqual([LOCAL]);
      expect(await changesTo(grantId ?? '', 'grant')).toEqual([
        `grant created by ${LOCAL}`,
        `admin /api/grants by ${LOCAL}`,
        'grant used by writer-bot',
        `grant revoked by ${LOCAL}`,
        `admin /api/grants/${grantId}/revoke by ${LOCAL}`,
      ]);
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('purges old records through the socket while the gateway writes the journal', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const purged = await cli(['audit', 'purge', '--older-than', '1s', '--json']);
    expect(purged.stderr).toBe('');
    const result = JSON.parse(purged.stdout) as { purged: number; checkpoint: number };
    expect(result.purged).toBeGreaterThan(0);
    const entries = await journalEntries();
    expect(entries.find((entry) => entry.seq === result.checkpoint)).toMatchObject({
      type: 'purge',
      payload: { actor: LOCAL },
    });
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  it('removes its socket when it stops', async () => {
    await stopGateway('SIGTERM');
    expect(existsSync(socket)).toBe(false);
  });
});

describe('a gateway that crashed', { timeout: 120_000 }, () => {
  it('leaves a socket nothing answers on: the CLI works on the file, the next gateway replaces it', async () => {
    gateway = await startGatewayProcess();
    await stopGateway('SIGKILL');
    expect(statSync(socket).isSocket()).toBe(true);
    const added = await cli(['agents', 'add', 'after-crash-bot']);
    expect(added).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^created service account after-crash-bot\n/),
    });
    gateway = await startGatewayProcess();
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const listed = await cli(['agents', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((each) => each.name)).toContain(
      'after-crash-bot',
    );
    const rotated = await cli(['agents', 'rotate', 'after-crash-bot', '--json']);
    const { secret } = JSON.parse(rotated.stdout) as { secret: string };
    const client = new pg.Client({ connectionString: pgUrl('after-crash-bot', secret) });
    await client.connect();
    await client.end();
    await stopGateway('SIGTERM');
  });

  it('refuses a change, rather than write beside it, when a gateway holds the journal but its socket is gone', async () => {
    gateway = await startGatewayProcess();
    unlinkSync(socket);
    const refused = await cli(['agents', 'add', 'orphan-bot']);
    expect(refused).toMatchObject({
      code: 1,
      stderr: `sluice: the journal ${join(dir, 'sluice.db')} is in use by a running gateway, but nothing answers on its admin socket ${socket}; wait until the gateway is ready, or restart it\n`,
    });
    await stopGateway('SIGTERM');
    expect(JSON.parse((await cli(['agents', 'list', '--json'])).stdout)).not.toContainEqual(
      expect.objectContaining({ name: 'orphan-bot' }),
    );
  });
});

describe('a journal path too long for a socket', () => {
  it('stops the gateway at start with one line that says so', async () => {
    const deep = join(dir, 'd'.repeat(60), 'e'.repeat(60));
    mkdirSync(deep, { recursive: true });
    const file = join(dir, 'long.yaml');
    writeConfig(file, join(deep, 'sluice.db'));
    const result = await sluice(['start', '--config', file, '--log-format', 'json'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^sluice: the admin socket path \S+\.sock is \d+ bytes, longer than the 107 this system allows for a socket; give journal.path a shorter path\n$/,
    );
  });
});
