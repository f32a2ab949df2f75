// Bundles the built CLI into self-contained scripts for the npm package: the workspace packages
// (@sluice/*) are inlined because they are never published; every other bare import stays an
// import of a real npm package, and the version the importing workspace package declares for it is
// collected so the packed manifest can list exactly those dependencies.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const WORKSPACE_SCOPE = '@sluice/';

/**
 * A script a module starts by path, e.g. `fork(fileURLToPath(new URL('./child.js', import.meta.url)))`.
 * Bundled, `import.meta.url` is the bundle's own URL, so such a script is bundled as its own entry
 * point and written next to the bundle under the same file name.
 */
const SCRIPT_NEXT_TO_MODULE = /new URL\(\s*(['"])\.\/([\w.-]+\.js)\1\s*,\s*import\.meta\.url\s*\)/g;
/** How an ES module finds files relative to itself (`__dirname` does not exist in one). */
const MODULE_LOCATION = /\bimport\.meta\b/g;

/**
 * @param {{ entry: string, outdir: string, name: string, root: string }} options
 *   entry: the built main module; name: its file name in outdir without `.js`; root: the workspace.
 * @returns {Promise<{ files: string[], dependencies: Record<string, string> }>}
 */
export async function bundleCli({ entry, outdir, name, root }) {
  /** @type {Map<string, string>} entry name → absolute path of the module it bundles */
  const entries = new Map([[name, resolve(entry)]]);
  for (;;) {
    const dependencies = new DependencyRecorder();
    const result = await build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(entries),
      outdir,
      entryNames: '[name]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      charset: 'utf8',
      write: false,
      metafile: true,
      logLevel: 'warning',
      plugins: [dependencies.plugin()],
    });
    const scripts = scriptsStartedByPath(
      Object.keys(result.metafile.inputs).map((input) => join(root, input)),
    );
    if (!addEntries(entries, scripts)) {
      mkdirSync(outdir, { recursive: true });
      for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
      return { files: result.outputFiles.map((file) => file.path), dependencies: dependencies.sorted() };
    }
  }
}

/** Collects, per external package, the version declared by the workspace package importing it. */
class DependencyRecorder {
  /** @type {Map<string, { version: string, declaredBy: string }>} */
  #found = new Map();
  /** @type {Map<string, { name: string, dependencies: Record<string, string> }>} */
  #manifests = new Map();

  /** @returns {import('esbuild').Plugin} */
  plugin() {
    return {
      name: 'sluice-npm-dependencies',
      setup: (pluginBuild) => {
        pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
          if (args.kind === 'entry-point' || args.path.startsWith(WORKSPACE_SCOPE)) return undefined;
          if (isBuiltin(args.path)) return { path: args.path, external: true };
          const error = this.#record(packageName(args.path), args.importer);
          return error ? { errors: [{ text: error }] } : { path: args.path, external: true };
        });
      },
    };
  }

  /** @returns {Record<string, string>} */
  sorted() {
    const names = [...this.#found.keys()].sort();
    return Object.fromEntries(names.map((name) => [name, this.#found.get(name).version]));
  }

  /** @returns {string | undefined} why the import cannot be packaged */
  #record(name, importer) {
    const owner = this.#manifestOf(importer);
    const version = owner.dependencies[name];
    if (version === undefined) {
      return `${owner.name} imports ${name} but does not list it in its package.json dependencies`;
    }
    if (version.startsWith('workspace:')) return `${name} is a workspace package outside ${WORKSPACE_SCOPE}`;
    const known = this.#found.get(name);
    if (known && known.version !== version) {
      return `${name} is ${known.version} in ${known.declaredBy} but ${version} in ${owner.name}; the package can depend on one version only`;
    }
    this.#found.set(name, { version, declaredBy: owner.name });
    return undefined;
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
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Scripts the bundled modules start by a path relative to themselves. Any other use of
 * `import.meta` would silently point at the bundle instead of the module, so it stops the pack.
 * @returns {Map<string, string>} script name → absolute path
 */
function scriptsStartedByPath(modules) {
  const scripts = new Map();
  for (const module of modules) {
    const source = readFileSync(module, 'utf8');
    const allowed = [];
    for (const match of source.matchAll(SCRIPT_NEXT_TO_MODULE)) {
      scripts.set(basename(match[2], '.js'), resolve(dirname(module), match[2]));
      allowed.push([match.index, match.index + match[0].length]);
    }
    for (const use of source.matchAll(MODULE_LOCATION)) {
      if (allowed.some(([start, end]) => use.index >= start && use.index < end)) continue;
      const line = source.slice(0, use.index).split('\n').length;
      throw new Error(
        `sluice: ${relative(process.cwd(), module)}:${line} uses ${use[0]}; bundled, it would name the bundle, ` +
          "not this module (only new URL('./script.js', import.meta.url) is carried over)",
      );
    }
  }
  return scripts;
}

/** @returns {boolean} whether a script was new */
function addEntries(entries, scripts) {
  let added = false;
  for (const [name, path] of scripts) {
    const known = entries.get(name);
    if (known === path) continue;
    if (known !== undefined)
      throw new Error(`sluice: two bundled scripts would both be ${name}.js: ${known}, ${path}`);
    entries.set(name, path);
    added = true;
  }
  return added;
}
