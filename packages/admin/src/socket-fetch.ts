import { request } from 'node:http';
import { Readable } from 'node:stream';

/** What AdminClient needs of `fetch`: one request, one response. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * `fetch` over a Unix domain socket (global fetch speaks only TCP): the URL gives the path and
 * query, the socket the server. The response body streams, so the approval watch works too.
 */
export function socketFetch(socketPath: string): FetchLike {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const { pathname, search } = new URL(url);
      const headers = new Headers(init.headers);
      const outgoing = request(
        {
          socketPath,
          path: `${pathname}${search}`,
          method: init.method ?? 'GET',
          headers: Object.fromEntries(headers.entries()),
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (incoming) => {
          const replyHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) replyHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const status = incoming.statusCode ?? 500;
          const empty = status === 204 || status === 304 || init.method === 'HEAD';
          const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, headers: replyHeaders }));
        },
      );
      outgoing.once('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
      if (typeof init.body === 'string') outgoing.end(init.body);
      else outgoing.end();
    });
}
