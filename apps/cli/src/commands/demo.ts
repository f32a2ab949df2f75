import { runDemo } from '@sluice/demo';
import type { Command } from 'commander';
import { pino } from 'pino';
import { CliError } from '../cli-error.js';
import { describeEntry, describeVerify } from './audit-describe.js';

interface DemoOptions {
  readonly dir?: string;
  readonly port?: string;
  readonly once?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('an embedded PostgreSQL, Sluice in front of it and a scripted agent: no setup needed')
    .option('--dir <dir>', 'where the config, journal and log go (default: a new temporary directory)')
    .option('-p, --port <port>', 'the port Sluice listens on (default: 6432 when free; 0: any free port)')
    .option('--once', 'exit after the transcript instead of leaving the gateway running')
    .action(async (options: DemoOptions) => {
      // `sluice demo | head`: a reader that went away ends the demo quietly; the database child
      // follows when its IPC channel closes.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
      });
      await runDemo({
        dir: options.dir,
        port: options.port === undefined ? undefined : portNumber(options.port),
        out: process.stdout,
        audit: { describeEntry, describeVerify },
        // The script this process runs: the MCP step starts `sluice mcp` with it.
        cli: process.argv[1] ?? '',
        openLog: (path) => pino({ level: 'info' }, pino.destination({ dest: path, sync: true })),
        waitForStop: options.once ? undefined : untilInterrupted,
      });
      // PGlite's child and the gateway are stopped; nothing else should keep the process alive.
      process.exit(0);
    });
}

function portNumber(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) throw new CliError(`--port: "${text}" is not a port number`);
  return port;
}

function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
