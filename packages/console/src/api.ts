import type { Me } from './api-types.js';

/** A call the admin API refused or that could not be made; `message` is a sentence to show as it is. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** The admin API on this origin, with the signed-in person's bearer token. */
export class Api {
  /** Called when the API stops accepting the token (it expired, or was revoked). */
  onUnauthorized: (() => void) | undefined;

  constructor(readonly token: string) {}

  get<T>(path: string, query?: Readonly<Record<string, string | number | undefined>>): Promise<T> {
    return this.call<T>('GET', path + queryString(query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  whoami(): Promise<Me> {
    return this.get<Me>('/api/whoami');
  }

  /** A streamed response (Server-Sent Events): EventSource cannot send the Authorization header. */
  stream(path: string, signal: AbortSignal): Promise<Response> {
    return fetch(path, { headers: this.headers(), signal, cache: 'no-store' });
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, accept: 'application/json' };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await request<T>(method, path, this.headers(), body);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.onUnauthorized?.();
      throw error;
    }
  }
}

/** A call made before anyone signed in (how to sign in, the OIDC code exchange). */
export function publicCall<T>(method: string, path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, { accept: 'application/json' }, body);
}

async function request<T>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError('The Sluice admin API cannot be reached. Is the gateway running?', undefined);
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) throw new ApiError(sentence(parsed, response.status), response.status);
  return parsed as T;
}

function queryString(query?: Readonly<Record<string, string | number | undefined>>): string {
  if (!query) return '';
  const entries = Object.entries(query).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '',
  );
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)])).toString()}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `{ "error": "sluice: x may not do this" }` → "X may not do this." */
function sentence(body: unknown, status: number): string {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
    ? asSentence((body as { error: string }).error)
    : `The admin API answered ${status}.`;
}

/** `sluice: the store is down` → `The store is down.`: an API message as the console shows it. */
export function asSentence(message: string): string {
  const raw = message.replace(/^sluice:\s*/, '');
  const capital = raw.charAt(0).toUpperCase() + raw.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
