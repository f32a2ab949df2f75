// What an idle session costs the gateway: opens N authenticated PostgreSQL sessions through
// Sluice (SCRAM login, one `SELECT 1`, then nothing), and reads the gateway's resident memory
// and open file descriptors before, with all of them open, and after they closed.
//
//   node scripts/bench/idle-sessions.mjs [--sessions 1000] [--policy users|off]
//
// The client side is a minimal protocol client built on Sluice's own wire-postgres codecs, so
// a thousand sessions cost this script a thousand sockets and no driver.
import { connect } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { memoryOf, openFilesOf, ROOT, sleep, stopAll } from './lib/processes.mjs';
import { formatNumber, markdownTable } from './lib/report.mjs';
import { startPostgres } from './lib/servers.mjs';
import { POLICY_OFF, POLICY_USERS, startSluice } from './lib/sluice.mjs';

const wire = await import(join(ROOT, 'packages/wire-postgres/dist/index.js'));
const { BackendCode, FrameSplitter, RequestCode, ScramClient, backend, frontend } = wire;

const { values } = parseArgs({
  options: { sessions: { type: 'string', default: '1000' }, policy: { type: 'string', default: 'users' } },
});
const SESSIONS = Number(values.sessions);
const CONCURRENT_LOGINS = 25;

/** Logs in with SCRAM-SHA-256, runs SELECT 1, and resolves with the open, idle socket. */
function openSession({ port, user, password, database }) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const splitter = new FrameSplitter({ untyped: false, maxFrameBytes: 1 << 20 });
    let scram;
    let queried = false;
    const fail = (message) => {
      socket.destroy();
      reject(new Error(message));
    };
    socket.once('connect', () => {
      socket.write(
        frontend.StartupMessage.encode({
          kind: 'startup',
          protocolVersion: RequestCode.protocol3,
          parameters: { user, database },
        }),
      );
    });
    socket.on('error', (error) => fail(error.message));
    socket.on('data', (chunk) =>
      splitter.push(chunk, ({ code, bytes }) => {
        if (code === BackendCode.authentication) {
          const request = backend.Authentication.decode(bytes);
          if (request.kind === 'authentication-sasl') {
            scram = new ScramClient(password);
            socket.write(
              frontend.SaslInitialResponse.encode({
                kind: 'sasl-initial-response',
                mechanism: 'SCRAM-SHA-256',
                data: scram.clientFirst(),
              }),
            );
          } else if (request.kind === 'authentication-sasl-continue') {
            socket.write(
              frontend.SaslResponse.encode({ kind: 'sasl-response', data: scram.clientFinal(request.data) }),
            );
          } else if (request.kind === 'authentication-sasl-final') {
            if (!scram.verifyServerFinal(request.data)) fail('the server signature does not verify');
          } else if (request.kind !== 'authentication-ok') {
            fail(`unexpected authentication request ${request.kind}`);
          }
        } else if (code === BackendCode.errorResponse) {
          fail(backend.ErrorResponse.decode(bytes).fields.get('M') ?? 'error');
        } else if (code === BackendCode.readyForQuery) {
          if (queried) {
            socket.removeAllListeners('data');
            resolve(socket);
          } else {
            queried = true;
            socket.write(frontend.Query.encode({ kind: 'query', text: 'SELECT 1' }));
          }
        }
      }),
    );
  });
}

function reading(pid) {
  const { rssMiB } = memoryOf(pid);
  return { rssMiB, fds: openFilesOf(pid) };
}

async function main() {
  const pg = await startPostgres({ maxConnections: SESSIONS + 100 });
  const policy = values.policy === 'off' ? POLICY_OFF : POLICY_USERS;
  const sluice = await startSluice({
    label: 'idle',
    connections: [{ name: 'pg', protocol: 'postgres', server: pg }],
    policy,
  });
  const target = { port: sluice.ports.pg, user: sluice.user, password: sluice.secret, database: pg.database };
  // One session first, so that code paths loaded on first use do not count as per-session cost.
  (await openSession(target)).destroy();
  await sleep(1000);
  const before = reading(sluice.pid);

  const sockets = [];
  const started = Date.now();
  while (sockets.length < SESSIONS) {
    const batch = Math.min(CONCURRENT_LOGINS, SESSIONS - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => openSession(target)))));
  }
  const openSeconds = (Date.now() - started) / 1000;
  await sleep(2000);
  const open = reading(sluice.pid);
  const backends = Number(
    await pg.superSql(`SELECT count(*) FROM pg_stat_activity WHERE usename = '${pg.user}'`),
  );

  for (const socket of sockets) socket.end();
  // The gateway closes each upstream connection after its client's: wait until the count settles.
  const closing = Date.now();
  let closed = reading(sluice.pid);
  while (closed.fds > before.fds + 5 && Date.now() - closing < 15_000) {
    await sleep(250);
    closed = reading(sluice.pid);
  }
  const closeSeconds = (Date.now() - closing) / 1000;

  const perSession = (field) => (open[field] - before[field]) / SESSIONS;
  console.log(
    `# ${SESSIONS} idle sessions through Sluice (guardrails ${values.policy === 'off' ? 'off' : 'strict, masking on'})\n`,
  );
  console.log(
    markdownTable(
      ['gateway', 'RSS (MiB)', 'open file descriptors'],
      [
        ['before (1 session opened and closed)', formatNumber(before.rssMiB, 1), before.fds],
        [`${SESSIONS} sessions open`, formatNumber(open.rssMiB, 1), open.fds],
        [`all closed again (${closeSeconds.toFixed(1)} s later)`, formatNumber(closed.rssMiB, 1), closed.fds],
        [
          'per session',
          `${formatNumber(perSession('rssMiB') * 1024, 1)} KiB`,
          formatNumber(perSession('fds'), 2),
        ],
      ],
    ),
  );
  console.log(
    `\nopened in ${openSeconds.toFixed(1)} s (${CONCURRENT_LOGINS} logins at a time); server backends of the upstream role while open: ${backends}; gateway peak RSS ${formatNumber(memoryOf(sluice.pid).peakMiB, 1)} MiB`,
  );
}

try {
  await main();
} catch (error) {
  console.error(`idle-sessions: ${error.stack ?? error.message}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
