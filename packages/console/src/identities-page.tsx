import type { Api } from './api.js';
import type { Me } from './api-types.js';
import { GrantsList } from './grants-list.js';
import { IdentitiesList } from './identities-list.js';

export function IdentitiesPage({ api, me }: { readonly api: Api; readonly me: Me }) {
  return (
    <section aria-labelledby="identities-page-title">
      <h2 id="identities-page-title">Identities &amp; grants</h2>
      <IdentitiesList api={api} me={me} />
      <GrantsList api={api} me={me} />
    </section>
  );
}
