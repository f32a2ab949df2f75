import { useCallback, useEffect, useState } from 'preact/hooks';
import { Api, publicCall } from './api.js';
import type { Me } from './api-types.js';
import { messageOf } from './hooks.js';
import { answersRequest, CALLBACK_PATH, callbackOf, redirectUri } from './oidc-sign-in.js';

const TOKEN_KEY = 'sluice.token';

export interface Signed {
  readonly api: Api;
  readonly me: Me;
}

export interface SignInState {
  /** undefined while checking a kept token or finishing an OIDC callback. */
  readonly signed: Signed | null | undefined;
  readonly notice: string | undefined;
  signIn(api: Api, me: Me): void;
  signOut(notice?: string): void;
}

/** The person's token: kept in this tab, restored on reload, taken from an OIDC callback. */
export function useSignIn(): SignInState {
  const [signed, setSigned] = useState<Signed | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    setNotice(why);
    setSigned(null);
  }, []);

  const signIn = useCallback(
    (api: Api, me: Me) => {
      sessionStorage.setItem(TOKEN_KEY, api.token);
      api.onUnauthorized = () => signOut('Your sign-in expired or was revoked; sign in again.');
      setNotice(undefined);
      setSigned({ api, me });
    },
    [signOut],
  );

  useEffect(() => {
    const resume = async (): Promise<void> => {
      if (location.pathname === CALLBACK_PATH) {
        const callback = callbackOf(new URL(location.href));
        history.replaceState(null, '', '/');
        if ('error' in callback) return signOut(callback.error);
        const { id_token: token } = await publicCall<{ id_token: string }>(
          'POST',
          '/api/console/oidc-token',
          {
            code: callback.code,
            code_verifier: callback.verifier,
            redirect_uri: redirectUri(),
          },
        );
        if (!answersRequest(token, callback.nonce)) {
          return signOut('The identity provider answered another sign-in than this one; sign in again.');
        }
        const api = new Api(token);
        return signIn(api, await api.whoami());
      }
      const stored = sessionStorage.getItem(TOKEN_KEY);
      if (!stored) return signOut();
      const api = new Api(stored);
      signIn(api, await api.whoami());
    };
    resume().catch((failure: unknown) => signOut(messageOf(failure)));
  }, [signIn, signOut]);

  return { signed, notice, signIn, signOut };
}
