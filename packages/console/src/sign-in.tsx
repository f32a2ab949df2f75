import { useState } from 'preact/hooks';
import { Api } from './api.js';
import type { Me } from './api-types.js';
import { ErrorNote } from './empty-state.js';
import { messageOf } from './hooks.js';

/** The admin token (or a person's OIDC token) is checked against the API before it is kept. */
export function SignIn({ onSignedIn }: { readonly onSignedIn: (api: Api, me: Me) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  return (
    <main class="sign-in">
      <h1>Sluice</h1>
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
        <button type="submit" disabled={busy || !token.trim()}>
          Sign in
        </button>
        <ErrorNote message={error} />
      </form>
    </main>
  );
}
