import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { Grant, Me } from './api-types.js';
import { EmptyState, ErrorNote } from './empty-state.js';
import { GrantForm } from './grant-form.js';
import { messageOf, useNow, useResource } from './hooks.js';
import { duration } from './time.js';

/** Active grants with the time they have left; admins revoke and create. */
export function GrantsList({ api, me }: { readonly api: Api; readonly me: Me }) {
  const grants = useResource(() => api.get<Grant[]>('/api/grants'), 'grants');
  const [error, setError] = useState<string | undefined>(undefined);
  const now = useNow();
  const admin = me.roles.includes('admin');
  const revoke = async (grant: Grant) => {
    try {
      await api.post(`/api/grants/${encodeURIComponent(grant.id)}/revoke`, {
        reason: `revoked by ${me.name} from the console`,
      });
      setError(undefined);
      grants.reload();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const list = grants.data ?? [];
  return (
    <section aria-labelledby="grants-title">
      <h3 id="grants-title">Grants</h3>
      <ErrorNote message={error ?? grants.error} />
      {list.length === 0 && !grants.loading && (
        <EmptyState title="No grant is active.">
          A grant lets an identity or group do more on one connection for a while
          {admin ? '; create one below' : ''}.
        </EmptyState>
      )}
      {list.length > 0 && (
        <div class="table-wrap stacks">
          <table>
            <thead>
              <tr>
                <th scope="col">For</th>
                <th scope="col">Connection</th>
                <th scope="col">Allows</th>
                <th scope="col">Time left</th>
                <th scope="col">Reason</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((grant) => (
                <tr key={grant.id}>
                  <td data-label="For">{grant.identity ?? `group ${grant.group}`}</td>
                  <td data-label="Connection">{grant.connection}</td>
                  <td data-label="Allows">{grant.allow.join(', ')}</td>
                  <td data-label="Time left">
                    {grant.state === 'active' ? duration(Date.parse(grant.expires_at) - now) : grant.state}
                  </td>
                  <td data-label="Reason">{grant.reason}</td>
                  <td class="actions">
                    {admin && grant.state === 'active' && (
                      <button
                        type="button"
                        class="deny"
                        onClick={() => void revoke(grant)}
                        aria-label={`Revoke grant ${grant.id}`}
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
      {admin && <GrantForm api={api} onCreated={grants.reload} />}
    </section>
  );
}
