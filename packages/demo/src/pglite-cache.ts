import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

/**
 * A fresh PGlite spends most of its start in initdb (~7 s on an idle 2-core machine, ~30 s on a
 * busy one); loading a saved, never-used data directory takes about half a second plus WASM
 * start-up. The first demo on a machine saves one; later demos load it.
 */
export interface StartedDatabase {
  readonly db: PGlite;
  readonly fromCache: boolean;
}

/** The cache file for the installed PGlite: a data directory of another version is not loadable. */
export function cacheFile(): string | undefined {
  try {
    const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
    const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    if (typeof manifest.version !== 'string') return undefined;
    const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    return join(base, 'sluice', `pglite-${manifest.version}-datadir.tar.gz`);
  } catch {
    return undefined;
  }
}

export async function startDatabase(cache: string | undefined): Promise<StartedDatabase> {
  const saved = cache === undefined ? undefined : readCache(cache);
  if (saved !== undefined && cache !== undefined) {
    try {
      return { db: await PGlite.create({ loadDataDir: saved }), fromCache: true };
    } catch {
      // A damaged or foreign file: start from scratch and replace it.
      rmSync(cache, { force: true });
    }
  }
  const db = await PGlite.create();
  if (cache !== undefined) await saveCache(db, cache);
  return { db, fromCache: false };
}

function readCache(path: string): Blob | undefined {
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only home only means the next start is slow too. */
async function saveCache(db: PGlite, path: string): Promise<void> {
  try {
    const dump = await db.dumpDataDir('gzip');
    mkdirSync(dirname(path), { recursive: true });
    // Written aside and renamed, so a concurrent demo never reads half a file.
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, path);
  } catch {
    // The demo works without the cache.
  }
}
