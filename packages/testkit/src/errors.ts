export type TestkitErrorCode =
  | 'postgres-not-found'
  | 'mariadb-not-found'
  | 'script-failed'
  | 'unexpected-script-output'
  | 'psql-failed'
  | 'pg-ctl-failed'
  | 'mariadb-failed'
  | 'openssl-failed'
  | 'haproxy-not-found'
  | 'haproxy-failed';

/** Says which helper failed and why, with the tool's own error output as the message. */
export class TestkitError extends Error {
  constructor(
    readonly code: TestkitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TestkitError';
  }
}
