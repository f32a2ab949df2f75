import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { refusalOf, refusalText } from './refusal.js';

export function textResult(text: string, structured?: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    ...(structured ? { structuredContent: structured } : {}),
  };
}

export function errorResult(text: string, structured?: Record<string, unknown>): CallToolResult {
  return { ...textResult(text, structured), isError: true };
}

/** A driver error as a tool error: Sluice's refusals explained, anything else as the server said it. */
export function failureResult(error: unknown): CallToolResult {
  const message = error instanceof Error ? error.message : String(error);
  const refusal = refusalOf(message);
  if (refusal)
    return errorResult(refusalText(refusal), {
      refused: true,
      rule: refusal.rule,
      reason: refusal.reason,
      allowed: refusal.hint,
      message: refusal.text,
    });
  return errorResult(`The statement failed: ${message}`, { refused: false, message });
}

/** Whether the session behind a failed call is gone (so the next call should reconnect). */
export function sessionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    /Connection terminated|ECONNRESET|EPIPE|closed state|Client has encountered a connection error/i.test(
      error.message,
    ) || code === 'PROTOCOL_CONNECTION_LOST'
  );
}
