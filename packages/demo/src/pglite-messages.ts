/** What the PGlite child process tells its parent over the IPC channel. */
export type ChildMessage =
  | { readonly kind: 'ready'; readonly port: number; readonly fromCache: boolean }
  | { readonly kind: 'failed'; readonly message: string };

/** What the parent tells the child. */
export type ParentMessage = { readonly kind: 'stop' };

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  if (value.kind === 'ready') {
    return (
      'port' in value &&
      typeof value.port === 'number' &&
      'fromCache' in value &&
      typeof value.fromCache === 'boolean'
    );
  }
  return value.kind === 'failed' && 'message' in value && typeof value.message === 'string';
}

export function isParentMessage(value: unknown): value is ParentMessage {
  return typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'stop';
}
