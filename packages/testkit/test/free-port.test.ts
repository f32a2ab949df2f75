import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { freePort, scratchDir } from '../src/index.js';

describe('freePort', () => {
  it('returns a port that can be listened on right away', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  });
});

describe('scratchDir', () => {
  it('makes a new empty directory in the temp dir with the given prefix', () => {
    const first = scratchDir('sluice-scratch-');
    const second = scratchDir('sluice-scratch-');
    expect(first).not.toBe(second);
    expect(first.startsWith(`${tmpdir()}/sluice-scratch-`)).toBe(true);
    expect(existsSync(first) && readdirSync(first)).toEqual([]);
    rmSync(first, { recursive: true });
    rmSync(second, { recursive: true });
  });
});
