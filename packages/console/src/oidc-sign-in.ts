/** The browser half of the authorization code flow with PKCE (RFC 7636); the admin API does the exchange. */

export interface OidcSettings {
  readonly issuer: string;
  readonly client_id: string;
  readonly scopes: readonly string[];
  readonly authorization_endpoint: string;
}

const PENDING_KEY = 'sluice.oidc';
export const CALLBACK_PATH = '/oidc/callback';

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly nonce: string;
}

/** Sends the browser to the provider; the verifier stays in this tab until the callback. */
export async function startOidcSignIn(settings: OidcSettings): Promise<void> {
  const pending: PendingSignIn = { state: randomText(), verifier: randomText(), nonce: randomText() };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier));
  const target = new URL(settings.authorization_endpoint);
  const query = target.searchParams;
  query.set('response_type', 'code');
  query.set('client_id', settings.client_id);
  query.set('redirect_uri', redirectUri());
  query.set('scope', settings.scopes.join(' '));
  query.set('state', pending.state);
  query.set('nonce', pending.nonce);
  query.set('code_challenge', base64url(new Uint8Array(digest)));
  query.set('code_challenge_method', 'S256');
  location.assign(target.toString());
}

/** The code and verifier of the sign-in this tab started, once the provider sent the browser back. */
export function callbackOf(url: URL): { code: string; verifier: string; nonce: string } | { error: string } {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const error = url.searchParams.get('error');
  if (error)
    return {
      error: `The identity provider refused the sign-in: ${url.searchParams.get('error_description') ?? error}.`,
    };
  const pending = raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
  const code = url.searchParams.get('code');
  if (!pending || !code || url.searchParams.get('state') !== pending.state) {
    return { error: 'This sign-in was not started from this tab, or it was already used; sign in again.' };
  }
  return { code, verifier: pending.verifier, nonce: pending.nonce };
}

/** Whether the ID token answers this tab's request (its `nonce`); the API verifies its signature. */
export function answersRequest(idToken: string, nonce: string): boolean {
  try {
    const payload = idToken.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return (JSON.parse(json) as { nonce?: unknown }).nonce === nonce;
  } catch {
    return false;
  }
}

export function redirectUri(): string {
  return `${location.origin}${CALLBACK_PATH}`;
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
