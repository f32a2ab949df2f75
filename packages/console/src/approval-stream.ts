import type { Api } from './api.js';
import type { ApprovalEvent } from './api-types.js';

export interface StreamHandlers {
  readonly onEvent: (event: ApprovalEvent) => void;
  readonly onState: (state: 'live' | 'reconnecting') => void;
}

/**
 * Follows `GET /api/approvals/events` until `signal` aborts, reconnecting after a second when the
 * stream breaks. The stream opens with every pending request, so nothing is missed in between.
 */
export async function followApprovals(
  api: Api,
  signal: AbortSignal,
  handlers: StreamHandlers,
): Promise<void> {
  while (!signal.aborted) {
    try {
      const response = await api.stream('/api/approvals/events', signal);
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      handlers.onState('live');
      await readEvents(response.body, handlers.onEvent);
    } catch {
      if (signal.aborted) return;
    }
    handlers.onState('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ApprovalEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data) onEvent(JSON.parse(data) as ApprovalEvent);
    }
  }
}
