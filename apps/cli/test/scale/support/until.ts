/** Polls `done` every 50 ms until it is true; throws naming `what` after `timeoutMs`. */
export async function until(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await done().catch(() => false)) return;
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
