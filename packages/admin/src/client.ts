import type {
  AccountJson,
  ApprovalEventJson,
  ApprovalJson,
  GrantJson,
  GrantRequestBody,
  PurgeJson,
  SessionJson,
} from './api-types.js';
import type { FetchLike } from './socket-fetch.js';

export interface AdminTarget {
  /** e.g. `http://127.0.0.1:7070` */
  readonly url: string;
  /** The admin token or an OIDC JWT, sent as a bearer token. */
  readonly token?: string | undefined;
  /** A service account instead of a token (sent as Basic): it may only request grants for itself. */
  readonly account?: { readonly name: string; readonly secret: string } | undefined;
  /** How requests travel (the admin socket, or in process); the global fetch when not given. */
  readonly fetch?: FetchLike;
  /** How errors name the target when `url` is not where the requests go (e.g. the socket path). */
  readonly label?: string;
}

/** A call the admin API refused (`status`), or could not be made (`status` undefined). */
export class AdminClientError extends Error {
  override readonly name = 'AdminClientError';

  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** The admin API over HTTP, for the CLI and scripts. Messages carry no `sluice:` prefix. */
export class AdminClient {
  private readonly base: string;

  constructor(private readonly target: AdminTarget) {
    this.base = target.url.replace(/\/+$/, '');
  }

  listApprovals(state?: string): Promise<ApprovalJson[]> {
    return this.call('GET', `/api/approvals${state ? `?state=${encodeURIComponent(state)}` : ''}`);
  }

  showApproval(id: string): Promise<ApprovalJson> {
    return this.call('GET', `/api/approvals/${encodeURIComponent(id)}`);
  }

  approve(id: string): Promise<ApprovalJson> {
    return this.call('POST', `/api/approvals/${encodeURIComponent(id)}/approve`, {});
  }

  deny(id: string, reason: string): Promise<ApprovalJson> {
    return this.call('POST', `/api/approvals/${encodeURIComponent(id)}/deny`, { reason });
  }

  listGrants(all = false): Promise<GrantJson[]> {
    return this.call('GET', `/api/grants${all ? '?all=true' : ''}`);
  }

  addGrant(body: GrantRequestBody): Promise<GrantJson> {
    return this.call('POST', '/api/grants', body);
  }

  revokeGrant(id: string, reason?: string): Promise<GrantJson> {
    return this.call('POST', `/api/grants/${encodeURIComponent(id)}/revoke`, reason ? { reason } : {});
  }

  requestGrant(body: Omit<GrantRequestBody, 'identity' | 'group'>): Promise<ApprovalJson> {
    return this.call('POST', '/api/grants/requests', body);
  }

  listSessions(): Promise<SessionJson[]> {
    return this.call('GET', '/api/sessions');
  }

  killSession(id: string, reason?: string): Promise<{ id: string; killed: boolean }> {
    return this.call('POST', `/api/sessions/${encodeURIComponent(id)}/kill`, reason ? { reason } : {});
  }

  listAgents(): Promise<AccountJson[]> {
    return this.call('GET', '/api/agents');
  }

  addAgent(body: { name: string; groups?: readonly string[]; expires?: string }): Promise<AccountJson> {
    return this.call('POST', '/api/agents', body);
  }

  revokeAgent(name: string, reason?: string): Promise<AccountJson> {
    return this.call('POST', `/api/agents/${encodeURIComponent(name)}/revoke`, reason ? { reason } : {});
  }

  modifyAgent(name: string, body: { groups?: readonly string[]; expires?: string }): Promise<AccountJson> {
    return this.call('POST', `/api/agents/${encodeURIComponent(name)}/modify`, body);
  }

  /** Deletes the journal's records older than `olderThan` (a duration such as 400d). */
  purgeJournal(olderThan: string): Promise<PurgeJson> {
    return this.call('POST', '/api/journal/purge', { older_than: olderThan });
  }

  rotateAgent(name: string): Promise<AccountJson> {
    return this.call('POST', `/api/agents/${encodeURIComponent(name)}/rotate`, {});
  }

  /** Calls `onEvent` for each approval event until `signal` aborts or the server ends the stream. */
  async watchApprovals(onEvent: (event: ApprovalEventJson) => void, signal?: AbortSignal): Promise<void> {
    const response = await this.send('GET', '/api/approvals/events', undefined, signal);
    if (!response.ok) throw await refusal(response);
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk, { stream: true });
        let end = buffered.indexOf('\n\n');
        while (end >= 0) {
          const data = dataOf(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          if (data !== undefined) onEvent(JSON.parse(data) as ApprovalEventJson);
          end = buffered.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    }
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (!response.ok) throw await refusal(response);
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const { account, token } = this.target;
    if (account) {
      headers.authorization = `Basic ${Buffer.from(`${account.name}:${account.secret}`).toString('base64')}`;
    } else if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const send = this.target.fetch ?? fetch;
    try {
      return await send(`${this.base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw new AdminClientError(
        `cannot reach the admin API at ${this.target.label ?? this.base}: ${reasonOf(error)}`,
        undefined,
      );
    }
  }
}

async function refusal(response: Response): Promise<AdminClientError> {
  let message = `the admin API answered HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') message = body.error.replace(/^sluice: /, '');
  } catch {
    // Not JSON: keep the status line.
  }
  return new AdminClientError(message, response.status);
}

/** The `data:` lines of one SSE event, joined; undefined for a comment or an event without data. */
function dataOf(block: string): string | undefined {
  const lines = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''));
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/** fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a certificate, …). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${cause.message} (${code})`
      : cause.message;
  }
  return error.message;
}
