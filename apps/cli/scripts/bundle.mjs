// Bundles the built CLI into self-contained scripts for the npm package: the workspace packages
// (@sluice/*) are inlined because they are never published; every other bare import stays an
// import of a real npm package (see dependencies.mjs), so PGlite, better-sqlite3 and the rest
// find their own files where npm installs them.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { DependencyRecorder, packageName, WORKSPACE_SCOPE } from './dependencies.mjs';

/**
 * A script a module starts by path, e.g. `fork(fileURLToPath(new URL('./child.js', import.meta.url)))`.
 * Bundled, `import.meta.url` is the bundle's own URL, so such a script is bundled as its own entry
 * point and written next to the bundle under the same file name.
 */
const SCRIPT_NEXT_TO_MODULE = /new URL\(\s*(['"])\.\/([\w.-]+\.js)\1\s*,\s*import\.meta\.url\s*\)/g;
/**
 * A folder of files next to a module, e.g. the web console's build:
 * `new URL('./console/', import.meta.url)`. It is copied next to the bundle under the same name.
 */
const FOLDER_NEXT_TO_MODULE = /new URL\(\s*(['"])\.\/([\w.-]+)\/\1\s*,\s*import\.meta\.url\s*\)/g;
/** Where an npm package is installed: found from the bundle just as from the module. */
const PACKAGE_RESOLUTION = /import\.meta\.resolve\(\s*(['"])([^'"]+)\1\s*\)/g;
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
  /** @type {Map<string, string>} folder name → absolute path of the folder to copy */
  const folders = new Map();
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
    const modules = Object.keys(result.metafile.inputs).map((input) => join(root, input));
    if (!addEntries(entries, moduleLocations(modules, dependencies, folders))) {
      mkdirSync(outdir, { recursive: true });
      for (const file of result.outputFiles) writeFileSync(file.path, file.contents);
      for (const [folder, path] of folders) cpSync(path, join(outdir, folder), { recursive: true });
      return { files: result.outputFiles.map((file) => file.path), dependencies: dependencies.sorted() };
    }
  }
}

/**
 * Checks every use of `import.meta` in the bundled modules: a script started by a path next to
 * the module is returned to be bundled too, a resolved npm package is recorded as a dependency,
 * and anything else would silently point at the bundle instead of the module, so it stops the pack.
 * @returns {Map<string, string>} script name → absolute path
 */
function moduleLocations(modules, dependencies, folders) {
  const scripts = new Map();
  for (const module of modules) {
    const source = readFileSync(module, 'utf8');
    const carried = [];
    for (const match of source.matchAll(SCRIPT_NEXT_TO_MODULE)) {
      scripts.set(basename(match[2], '.js'), resolve(dirname(module), match[2]));
      carried.push(match);
    }
    for (const match of source.matchAll(FOLDER_NEXT_TO_MODULE)) {
      const path = resolve(dirname(module), match[2]);
      if (!existsSync(path))
        throw new Error(`sluice: ${relative(process.cwd(), module)} names ${path}, which is missing`);
      const known = folders.get(match[2]);
      if (known !== undefined && known !== path) {
        throw new Error(
          `sluice: two folders would both be ${match[2]}/ next to the bundle: ${known}, ${path}`,
        );
      }
      folders.set(match[2], path);
      carried.push(match);
    }
    for (const match of source.matchAll(PACKAGE_RESOLUTION)) {
      const specifier = match[2];
      if (/^[./]/.test(specifier) || specifier.startsWith(WORKSPACE_SCOPE)) continue;
      const error = dependencies.record(packageName(specifier), module);
      if (error) throw new Error(`sluice: ${error}`);
      carried.push(match);
    }
    for (const use of source.matchAll(MODULE_LOCATION)) {
      if (carried.some((match) => use.index >= match.index && use.index < match.index + match[0].length))
        continue;
      const line = source.slice(0, use.index).split('\n').length;
      throw new Error(
        `sluice: ${relative(process.cwd(), module)}:${line} uses import.meta, which in the bundle would name ` +
          "the bundle, not this module. Carried over are new URL('./script.js', import.meta.url) for a " +
          "script next to the module and import.meta.resolve('an-npm-package').",
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
    if (known !== undefined) {
      throw new Error(`sluice: two bundled scripts would both be ${name}.js: ${known}, ${path}`);
    }
    entries.set(name, path);
    added = true;
  }
  return added;
}
