import type { Journal, PurgeResult } from '@sluice/journal';

const DAY_MS = 86_400_000;

/** Deletes what is older than the retention period, leaving a checkpoint record (AU-11). */
export function purgeOlderThan(
  journal: Journal,
  olderThanMs: number,
  actor: string,
  now = new Date(),
): PurgeResult {
  return journal.purge(new Date(now.getTime() - olderThanMs), actor);
}

/**
 * Runs the retention purge once soon after start and then every day, in the process that
 * writes the journal. Returns a function that stops it.
 */
export function scheduleRetention(
  journal: Journal,
  retentionMs: number,
  report: (outcome: { readonly result?: PurgeResult; readonly error?: unknown }) => void,
  options: { readonly firstAfterMs?: number; readonly everyMs?: number } = {},
): () => void {
  const run = (): void => {
    try {
      report({ result: purgeOlderThan(journal, retentionMs, 'sluice (journal.retention)') });
    } catch (error) {
      report({ error });
    }
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    run();
    interval = setInterval(run, options.everyMs ?? DAY_MS).unref();
  }, options.firstAfterMs ?? 60_000).unref();
  return () => {
    clearTimeout(first);
    clearInterval(interval);
  };
}
