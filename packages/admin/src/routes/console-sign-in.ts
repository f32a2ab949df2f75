import type { FastifyInstance } from 'fastify';
import type { AdminAuthenticator } from '../auth.js';
import type { ConsoleOidc } from '../console-oidc.js';
import { AdminError } from '../errors.js';
import { ERROR_REPLIES } from '../schemas.js';

const text = { type: 'string' } as const;

/**
 * The console's sign-in, before anyone is authenticated: how to sign in, and the exchange of an
 * authorization code (with its PKCE verifier) for an ID token the API accepts.
 */
export function consoleSignInRoutes(
  app: FastifyInstance,
  oidc: ConsoleOidc | undefined,
  authenticator: AdminAuthenticator,
): void {
  app.get(
    '/api/console/sign-in',
    {
      schema: {
        summary: 'How the console signs people in: the OIDC client and authorization endpoint, or null',
        tags: ['console'],
        response: {
          200: {
            type: 'object',
            properties: {
              oidc: {
                type: ['object', 'null'],
                properties: {
                  issuer: text,
                  client_id: text,
                  scopes: { type: 'array', items: text },
                  authorization_endpoint: text,
                },
              },
            },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async () => (oidc ? oidc.signIn() : { oidc: null }),
  );

  app.post<{ Body: { code: string; code_verifier: string; redirect_uri: string } }>(
    '/api/console/oidc-token',
    {
      schema: {
        summary: 'Exchange an authorization code and its PKCE verifier for an ID token',
        tags: ['console'],
        body: {
          type: 'object',
          properties: {
            code: { type: 'string', minLength: 1, maxLength: 4096 },
            code_verifier: { type: 'string', minLength: 43, maxLength: 128 },
            redirect_uri: { type: 'string', minLength: 1, maxLength: 2048 },
          },
          required: ['code', 'code_verifier', 'redirect_uri'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { id_token: text, name: text, roles: { type: 'array', items: text } },
          },
          ...ERROR_REPLIES,
        },
      },
    },
    async (request) => {
      if (!oidc) throw new AdminError(404, 'OIDC sign-in is not configured (admin.oidc)');
      const { code, code_verifier: verifier, redirect_uri: redirectUri } = request.body;
      const idToken = await oidc.exchange(code, verifier, redirectUri);
      const result = await authenticator.authenticate(`Bearer ${idToken}`);
      if (!result.ok) throw new AdminError(401, `the ID token was not accepted: ${result.reason}`);
      request.actor = result.actor;
      return { id_token: idToken, name: result.actor.name, roles: result.actor.roles };
    },
  );
}
