import { DemoError } from './errors.js';

/** The demo proves what it shows: a step that does not behave as described fails the run. */
export function expectThat(condition: boolean, what: string): asserts condition {
  if (!condition) throw new DemoError('step-failed', what);
}

/** The SQLSTATE and message of a failed query, or undefined when it did not fail. */
export async function failureOf(
  run: () => Promise<unknown>,
): Promise<{ readonly code: string; readonly message: string } | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
    return { code, message: error.message };
  }
}
