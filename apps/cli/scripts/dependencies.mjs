// Which npm packages the bundle leaves as imports, at the versions the workspace declares them: the
// packed manifest's dependencies. A package that the importing workspace package does not declare,
// or that two workspace packages declare at different versions, stops the pack.
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';

/** Workspace packages: never published, so always inlined. */
export const WORKSPACE_SCOPE = '@sluice/';

export class DependencyRecorder {
  /** @type {Map<string, { version: string, declaredBy: string }>} */
  #found = new Map();
  /** @type {Map<string, { name: string, dependencies: Record<string, string> }>} */
  #manifests = new Map();

  /** Leaves every bare import outside the workspace scope external, and records its package. */
  /** @returns {import('esbuild').Plugin} */
  plugin() {
    return {
      name: 'sluice-npm-dependencies',
      setup: (pluginBuild) => {
        pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.kind === 'entry-point' || args.path.startsWith(WORKSPACE_SCOPE)) return undefined;
          if (isBuiltin(args.path)) return { path: args.path, external: true };
          const error = this.record(packageName(args.path), args.importer);
          return error ? { errors: [{ text: error }] } : { path: args.path, external: true };
        });
      },
    };
  }

  /**
   * Notes that a module needs a package at run time.
   * @returns {string | undefined} why that package cannot be a dependency of the packed CLI
   */
  record(name, module) {
    const owner = this.#manifestOf(module);
    const version = owner.dependencies[name];
    if (version === undefined)
      return `${owner.name} uses ${name} but its package.json does not list it in dependencies`;
    if (version.startsWith('workspace:')) return `${name} is a workspace package outside ${WORKSPACE_SCOPE}`;
    const known = this.#found.get(name);
    if (known && known.version !== version) {
      return `${name} is ${known.version} in ${known.declaredBy} but ${version} in ${owner.name}; the CLI can depend on one version only`;
    }
    this.#found.set(name, { version, declaredBy: owner.name });
    return undefined;
  }

  /** @returns {Record<string, string>} package → version, by name */
  sorted() {
    const names = [...this.#found.keys()].sort();
    return Object.fromEntries(names.map((name) => [name, this.#found.get(name).version]));
  }

  /** The nearest package.json above a module. */
  #manifestOf(file) {
    let dir = dirname(file);
    while (!this.#manifests.has(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        this.#manifests.set(dir, { name: manifest.name ?? dir, dependencies: manifest.dependencies ?? {} });
      } catch (error) {
        if (error.code !== 'ENOENT') throw error;
        const parent = dirname(dir);
        if (parent === dir) throw new Error(`sluice: no package.json above ${file}`);
        dir = parent;
      }
    }
    return this.#manifests.get(dir);
  }
}

/** `pkg/sub/path` → `pkg`, `@scope/pkg/sub` → `@scope/pkg`. */
export function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
