import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '@sluice/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningGateway, sluice, startCli } from './support/cli.js';

let first: RunningGateway | undefined;
afterAll(() => {
  first?.process.kill('SIGKILL');
});

describe('one gateway writes a journal', () => {
  it('refuses a second sluice start on the same journal with one line naming the first, and starts once it is gone', async () => {
    const dir = scratchDir('sluice-one-writer-');
    const config = join(dir, 'sluice.yaml');
    // Nothing connects through these listeners: no database is needed behind them.
    writeFileSync(
      config,
      `journal:
  path: ./sluice.db
connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:0
    upstream: postgres://svc@127.0.0.1:1/app
    upstream_password: unused
    policy: agents
policies:
  agents:
    guardrails: standard
`,
    );
    first = await startCli(config, 1);
    const second = await sluice(['start', '--config', config]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `sluice: the journal ${join(dir, 'sluice.db')} is written by another Sluice process (pid ${first.process.pid}); ` +
        'one gateway writes a journal: stop it first, or change it through its admin API\n',
    );
    first.process.kill('SIGKILL');
    await first.exited;
    // The lock went with the process: the next gateway starts on the same journal.
    const next = await startCli(config, 1);
    next.process.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  });
});
