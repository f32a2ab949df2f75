import { useEffect, useState } from 'preact/hooks';
import { Api, publicCall } from './api.js';
import type { Me } from './api-types.js';
import { ErrorNote } from './empty-state.js';
import { messageOf } from './hooks.js';
import { type OidcSettings, startOidcSignIn } from './oidc-sign-in.js';

interface Props {
  readonly onSignedIn: (api: Api, me: Me) => void;
  /** Why the person is here again (a refused callback, an expired token). */
  readonly notice?: string | undefined;
}

/** The identity provider when `admin.oidc` is configured, or a token checked against the API before it is kept. */
export function SignIn({ onSignedIn, notice }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<OidcSettings | null>(null);
  useEffect(() => {
    publicCall<{ oidc: OidcSettings | null }>('GET', '/api/console/sign-in').then(
      (reply) => setOidc(reply.oidc),
      () => setOidc(null),
    );
  }, []);
  return (
    <main class="sign-in">
      <h1>Sluice</h1>
      {oidc && (
        <div class="oidc">
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              startOidcSignIn(oidc).catch(() => {
                setError(
                  'This browser cannot start the sign-in here; open the console over HTTPS or on localhost.',
                );
                setBusy(false);
              });
            }}
          >
            Sign in with {new URL(oidc.issuer).host}
          </button>
          <p class="hint or">or use a token</p>
        </div>
      )}
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(undefined);
          const api = new Api(token.trim());
          try {
            onSignedIn(api, await api.whoami());
          } catch (failure) {
            setError(messageOf(failure));
            setBusy(false);
          }
        }}
      >
        <label for="token">Admin token or OIDC token</label>
        <input
          id="token"
          type="password"
          autoComplete="current-password"
          value={token}
          required
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <p class="hint">
          The token is <code>admin.token</code> from the gateway’s configuration, or an ID token from your
          identity provider. It is kept in this browser tab only.
        </p>
        <button type="submit" class={oidc ? 'secondary' : 'primary'} disabled={busy || !token.trim()}>
          Sign in
        </button>
        <ErrorNote message={error} />
      </form>
    </main>
  );
}
