import { useState } from 'preact/hooks';
import { type Api, asSentence } from './api.js';
import type { Account, Me, PastSession } from './api-types.js';
import { EmptyState, ErrorNote } from './empty-state.js';
import { messageOf, useResource } from './hooks.js';
import { fullTime } from './time.js';

interface Seen {
  readonly name: string;
  readonly account: Account | undefined;
  readonly lastUse: string | undefined;
}

/** Service accounts and every identity the journal's recent sessions name, with their last use. */
export function IdentitiesList({ api, me }: { readonly api: Api; readonly me: Me }) {
  const accounts = useResource(() => api.get<Account[]>('/api/agents'), 'accounts');
  const sessions = useResource(() => api.get<PastSession[]>('/api/sessions/history', { limit: 500 }), 'seen');
  const [error, setError] = useState<string | undefined>(undefined);
  const seen = identitiesOf(accounts.data ?? [], sessions.data ?? []);
  const revoke = async (name: string) => {
    if (!confirm(`Revoke the service account ${name}? Its secret stops working at once.`)) return;
    try {
      const answer = await api.post<Account>(`/api/agents/${encodeURIComponent(name)}/revoke`, {
        reason: `revoked by ${me.name} from the console`,
      });
      // The shared store is down: revoked on this gateway only until it is back; say so.
      setError(answer.revocation === 'pending' ? asSentence(answer.message ?? '') : undefined);
      accounts.reload();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section aria-labelledby="identities-title">
      <h3 id="identities-title">Identities</h3>
      <ErrorNote message={error ?? accounts.error ?? sessions.error} />
      {seen.length === 0 && !accounts.loading && (
        <EmptyState title="No identity yet.">
          Add a service account with <code>sluice agents add NAME --group G</code>; people appear once they
          connect with an OIDC token.
        </EmptyState>
      )}
      {seen.length > 0 && (
        <div class="table-wrap stacks">
          <table>
            <thead>
              <tr>
                <th scope="col">Identity</th>
                <th scope="col">Kind</th>
                <th scope="col">Groups</th>
                <th scope="col">Last session</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {seen.map(({ name, account, lastUse }) => (
                <tr key={name}>
                  <td data-label="Identity">{name}</td>
                  <td data-label="Kind">
                    {account ? `service account${stateOf(account)}` : 'OIDC or other'}
                  </td>
                  <td data-label="Groups">{account?.groups.join(', ') ?? ''}</td>
                  <td data-label="Last session">{lastUse ? fullTime(lastUse) : 'never'}</td>
                  <td class="actions">
                    {account?.status === 'active' && !account.revocation && me.roles.includes('admin') && (
                      <button
                        type="button"
                        class="deny"
                        onClick={() => void revoke(name)}
                        aria-label={`Revoke ${name}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function identitiesOf(accounts: readonly Account[], sessions: readonly PastSession[]): Seen[] {
  const last = new Map<string, string>();
  for (const session of sessions) {
    const known = last.get(session.identity);
    if (!known || session.started_at > known) last.set(session.identity, session.started_at);
  }
  const names = new Set([...accounts.map((account) => account.name), ...last.keys()]);
  return [...names].sort().map((name) => ({
    name,
    account: accounts.find((account) => account.name === name),
    lastUse: last.get(name),
  }));
}

function stateOf(account: Account): string {
  if (account.status === 'revoked') return ' (revoked)';
  return account.revocation === 'pending'
    ? ' (revoked on this gateway only, until the shared store is back)'
    : '';
}
