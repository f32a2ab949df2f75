import { vi } from 'vitest';

/**
 * `vi.waitFor` on a condition, polling every 50 ms: a failing or throwing `done` is tried again,
 * and after `timeoutMs` the error names `what`.
 */
export async function until(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await done())) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
