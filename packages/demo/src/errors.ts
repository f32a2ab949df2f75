export type DemoErrorCode =
  | 'database-failed'
  | 'port-taken'
  | 'dir-unusable'
  | 'config-invalid'
  | 'step-failed'
  | 'journal-tampered';

/** Why the demo could not go on; the CLI prints the message as its one-line reason. */
export class DemoError extends Error {
  constructor(
    readonly code: DemoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DemoError';
  }
}
