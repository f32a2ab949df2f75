// The floor for any Node proxy: bytes piped both ways, no parsing, Nagle off. Sluice is a Node
// proxy too, so this shows how much of its cost is Node's socket path and how much its own.
//
//   node scripts/bench/pipe-proxy.mjs --port 7000 --upstream 127.0.0.1:5432
import { connect, createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, upstream: { type: 'string' } },
});
const match = /^(.+):(\d+)$/.exec(values.upstream ?? '');
if (!match) {
  console.error('usage: pipe-proxy.mjs --port PORT --upstream HOST:PORT');
  process.exit(2);
}
const [, upstreamHost, upstreamPort] = match;

const server = createServer((client) => {
  const upstream = connect(Number(upstreamPort), upstreamHost);
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  client.pipe(upstream);
  upstream.pipe(client);
  // pipe() ends the other side on a clean close but not on an error: destroy both then.
  const closeBoth = () => {
    client.destroy();
    upstream.destroy();
  };
  client.once('error', closeBoth);
  upstream.once('error', closeBoth);
});
server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});
process.once('SIGTERM', () => process.exit(0));
