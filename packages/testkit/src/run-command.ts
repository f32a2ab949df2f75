import { execFile } from 'node:child_process';
import { TestkitError, type TestkitErrorCode } from './errors.js';

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the program's stdin, which is then closed. */
  readonly input?: string;
  /** The error code to reject with when the command fails. */
  readonly failureCode: TestkitErrorCode;
}

/** Runs a program without a shell; resolves with stdout, rejects with its stderr as the message. */
export function runCommand(file: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve(stdout);
          return;
        }
        const reason = stderr.trim() || error.message;
        reject(new TestkitError(options.failureCode, reason, { cause: error }));
      },
    );
    if (options.input !== undefined) {
      // A program that fails before reading all of stdin closes it; its stderr says why, not EPIPE.
      child.stdin?.on('error', () => {});
      child.stdin?.end(options.input);
    }
  });
}
