import type { PolicyConfig } from '@sluice/config';
import type { MysqlCatalog } from './catalog/mysql-catalog.js';
import type { PostgresCatalog } from './catalog/postgres-catalog.js';
import type { ListenerContext } from './listener-context.js';

/** A listener's settings that a configuration reload replaces; the rest is fixed at start. */
export interface LiveSettings {
  policy: PolicyConfig;
  catalog: PostgresCatalog | undefined;
  mysqlCatalog: MysqlCatalog | undefined;
}

type FixedContext = Omit<ListenerContext, 'tlsContext' | keyof LiveSettings>;

/**
 * A listener context whose policy and catalogs are read from `live` at each use: swapping
 * `live.policy` is one assignment, so every statement judged afterwards, in any session,
 * sees the whole new policy and never half of it.
 */
export function withLiveSettings(
  fixed: FixedContext,
  live: LiveSettings,
): Omit<ListenerContext, 'tlsContext'> {
  return {
    ...fixed,
    get policy() {
      return live.policy;
    },
    get catalog() {
      return live.catalog;
    },
    get mysqlCatalog() {
      return live.mysqlCatalog;
    },
  };
}
