import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, scratchDir } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli } from '../scripts/bundle.mjs';

const run = promisify(execFile);
const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(CLI_DIR, '../..');
/**
 * Packing builds the workspace, and the install compiles better-sqlite3 from source: ~1 min on an
 * idle 2-core machine, over 5 min when other builds and tests share it.
 */
const INSTALL_TIMEOUT_MS = 15 * 60_000;
/** The demo initialises a PGlite database (~8 s, ~30 s on a busy machine) before its agent runs. */
const DEMO_TIMEOUT_MS = 3 * 60_000;
const OUTPUT_LIMIT = 64 * 1024 * 1024;

describe('the release bundler', () => {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** A workspace whose app imports a @sluice/ library linked into node_modules, as pnpm links it. */
  function workspace(library: string, libraryDependencies: Record<string, string>): string {
    const root = scratchDir('sluice-bundle-');
    roots.push(root);
    const files: Record<string, string> = {
      'package.json': '{ "name": "fixture" }',
      'app/package.json': JSON.stringify({ name: '@sluice/app', dependencies: { yaml: '2.9.1' } }),
      'app/main.js':
        "#!/usr/bin/env node\nimport { parse } from 'yaml';\nimport * as lib from '@sluice/lib';\nconsole.log(parse('a: 1'), lib);\n",
      'lib/package.json': JSON.stringify({
        name: '@sluice/lib',
        exports: './index.js',
        dependencies: libraryDependencies,
      }),
      'lib/index.js': library,
      'lib/child.js': "import { greet } from './greet.js';\ngreet();\n",
      'lib/greet.js': "export const greet = () => console.log('hello from the child');\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    mkdirSync(join(root, 'node_modules/@sluice'), { recursive: true });
    symlinkSync('../../lib', join(root, 'node_modules/@sluice/lib'));
    return root;
  }
  const bundle = (root: string) =>
    bundleCli({ entry: join(root, 'app/main.js'), outdir: join(root, 'out'), name: 'app', root });

  it('inlines workspace packages, keeps npm packages as imports at their declared versions, and bundles started scripts', async () => {
    const root = workspace(
      "import { z } from 'zod/mini';\nexport const schema = z;\nexport const where = import.meta.resolve('pino');\n" +
        "export const child = new URL('./child.js', import.meta.url);\n",
      { zod: '4.6.7', pino: '10.4.0' },
    );
    const { files, dependencies } = await bundle(root);
    expect(dependencies).toEqual({ pino: '10.4.0', yaml: '2.9.1', zod: '4.6.7' });
    expect(files.map((file) => basename(file)).sort()).toEqual(['app.js', 'child.js']);
    const app = readFileSync(join(root, 'out/app.js'), 'utf8');
    expect(app.split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(app).toMatch(/from "yaml"/);
    expect(app).toMatch(/from "zod\/mini"/);
    expect(app).not.toContain('@sluice/lib');
    expect(readFileSync(join(root, 'out/child.js'), 'utf8')).toContain('hello from the child');
  });

  it('copies a folder a module names next to itself (the web console) next to the bundle', async () => {
    const root = workspace("export const files = new URL('./static/', import.meta.url);\n", {});
    mkdirSync(join(root, 'lib/static/assets'), { recursive: true });
    writeFileSync(join(root, 'lib/static/index.html'), '<!doctype html>');
    writeFileSync(join(root, 'lib/static/assets/app.js'), 'console.log(1);');
    await bundle(root);
    expect(readFileSync(join(root, 'out/static/index.html'), 'utf8')).toBe('<!doctype html>');
    expect(readFileSync(join(root, 'out/static/assets/app.js'), 'utf8')).toBe('console.log(1);');
    expect(readFileSync(join(root, 'out/app.js'), 'utf8')).toMatch(
      /new URL\(["']\.\/static\/["'], import\.meta\.url\)/,
    );
  });

  it.each([
    [
      'an npm package its workspace package does not declare',
      "import 'pino';\n",
      {},
      /@sluice\/lib uses pino but/,
    ],
    [
      'one npm package at two versions',
      "import 'yaml';\n",
      { yaml: '2.8.0' },
      /yaml is \S+ in @sluice\/\w+ but \S+ in @sluice\/\w+; the CLI can depend on one version only/,
    ],
    [
      'a file found next to a module',
      'export const here = import.meta.dirname;\n',
      {},
      /lib\/index\.js:1 uses import\.meta/,
    ],
    [
      'a relative import.meta.resolve',
      "export const data = import.meta.resolve('./data.json');\n",
      {},
      /uses import\.meta/,
    ],
  ])('refuses %s', async (_case, library, libraryDependencies, reason) => {
    await expect(bundle(workspace(library, libraryDependencies))).rejects.toThrow(reason);
  });
});

describe('the packed CLI', () => {
  let dir: string;
  let entries: string[];
  let manifest: { bin: Record<string, string>; dependencies: Record<string, string> };
  let manifestText: string;
  let app: string;

  beforeAll(async () => {
    dir = scratchDir('sluice-pack-');
    const pack = join(CLI_DIR, 'scripts/pack.mjs');
    const packed = await run(process.execPath, [pack, '--pack-destination', dir], {
      cwd: ROOT,
      maxBuffer: OUTPUT_LIMIT,
    });
    const tarball = packed.stdout.trim();
    entries = (await run('tar', ['-tzf', tarball])).stdout.split('\n').filter(Boolean);
    manifestText = (await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout;
    manifest = JSON.parse(manifestText);
    app = join(dir, 'app');
    mkdirSync(app);
    await run('npm', ['install', '--no-audit', '--no-fund', tarball], {
      cwd: app,
      env: npmEnv(),
      maxBuffer: OUTPUT_LIMIT,
    });
  }, INSTALL_TIMEOUT_MS);

  // The install is ~160 MB (PGlite, the compiled better-sqlite3).
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** npm as a user runs it, without the npm_* variables of the package manager running the tests. */
  function npmEnv(): NodeJS.ProcessEnv {
    const kept = /^npm_config_(registry|cache|proxy|https_proxy|noproxy|cafile)$/i;
    const env = Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || kept.test(key));
    // better-sqlite3 compiles from source here; node-gyp must use the installed Node headers.
    return { ...Object.fromEntries(env), npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' };
  }

  /**
   * `npx sluice …` in the folder the tarball was installed in. `--no`: never fetch a namesake from
   * the registry; `--`: `--help` and the like belong to sluice, not to npx.
   */
  async function installedSluice(
    args: readonly string[],
    options: { timeout?: number; env?: NodeJS.ProcessEnv } = {},
  ) {
    try {
      const { stdout, stderr } = await run('npx', ['--no', '--', 'sluice', ...args], {
        cwd: app,
        env: { ...npmEnv(), ...options.env },
        timeout: options.timeout ?? 60_000,
        maxBuffer: OUTPUT_LIMIT,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  it('holds the bundle, its manifest, README and LICENSE: no sources, tests or workspace links', () => {
    expect(entries.every((entry) => entry.startsWith('package/'))).toBe(true);
    expect(entries).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/dist/sluice.js',
        'package/dist/ingest-worker.js',
        'package/dist/store-worker.js',
        'package/README.md',
        'package/LICENSE',
        'package/dist/console/index.html',
      ]),
    );
    expect(
      entries.filter((entry) => /^package\/dist\/console\/assets\/index-[\w-]+\.js$/.test(entry)),
    ).toHaveLength(1);
    expect(
      entries.filter((entry) => /\/(src|tests?|scripts)\/|\.ts$|\.test\.|tsbuildinfo/.test(entry)),
    ).toEqual([]);
    expect(manifestText).not.toContain('workspace:');
    expect(manifest.bin).toEqual({ sluice: 'dist/sluice.js' });
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@sluice/'))).toEqual([]);
  });

  it('depends on the npm packages the workspace uses, at the versions the workspace declares', () => {
    const { dependencies } = manifest;
    const expected = ['better-sqlite3', 'commander', 'jose', 'node-sql-parser', 'pino', 'yaml', 'zod'];
    expect(Object.keys(dependencies)).toEqual(
      expect.arrayContaining([...expected, '@electric-sql/pglite', '@electric-sql/pglite-socket']),
    );
    const folders = [
      ...readdirSync(join(ROOT, 'packages')).map((name) => join(ROOT, 'packages', name)),
      CLI_DIR,
    ];
    const workspace: { name: string; dependencies?: Record<string, string> }[] = folders.map((folder) =>
      JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')),
    );
    for (const [name, version] of Object.entries(dependencies)) {
      const declaredBy = workspace.filter((m) => m.dependencies?.[name] === version).map((m) => m.name);
      expect(declaredBy, `${name}@${version}`).not.toEqual([]);
    }
  });

  it('installs a sluice command with a shebang, and PGlite as a package of its own', () => {
    const bin = readFileSync(join(app, 'node_modules/@sluice/cli/dist/sluice.js'), 'utf8');
    expect(bin.split('\n')[0]).toBe('#!/usr/bin/env node');
    // PGlite finds its wasm and data files next to its own modules: it must never be inlined.
    const pglite = JSON.parse(
      readFileSync(join(app, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'),
    );
    expect(pglite.version).toBe(manifest.dependencies['@electric-sql/pglite']);
  });

  it('answers --help with every command', async () => {
    const result = await installedSluice(['--help']);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    const commands = result.stdout
      .slice(result.stdout.indexOf('Commands:'))
      .split('\n')
      .map((line) => /^ {2}([a-z]+)\b/.exec(line)?.[1]);
    expect(commands).toEqual(
      expect.arrayContaining(['start', 'check', 'agents', 'audit', 'policy', 'demo', 'store']),
    );
  });

  it('checks configs with the bundled config loader: a good one passes, a bad one names file:line', async () => {
    writeFileSync(
      join(app, 'sluice.yaml'),
      `journal: { path: ./sluice.db }
connections:
  orders: { protocol: postgres, listen: 127.0.0.1:6432, upstream: postgres://svc@127.0.0.1:5432/orders, policy: agents }
policies:
  agents: { guardrails: strict, default: allow }
`,
    );
    const good = await installedSluice(['check', '--config', 'sluice.yaml']);
    expect(good, good.stderr).toMatchObject({ code: 0 });
    expect(good.stdout).toContain('sluice.yaml: ok (1 connection(s), 1 policy)');

    writeFileSync(join(app, 'bad.yaml'), 'connections:\n  orders:\n    protocol: oracle\n');
    const bad = await installedSluice(['check', '--config', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.yaml:3:\d+ connections\.orders\.protocol: /);
    expect(bad.stderr).toMatch(/^sluice: bad\.yaml: \d+ problem\(s\)$/m);
  });

  it('judges a statement with the bundled SQL analyser and policy', async () => {
    const args = 'policy test --config sluice.yaml --as ci-bot --connection orders --json'.split(' ');
    const result = await installedSluice([...args, 'DELETE FROM orders']);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject({ decision: 'block', rule: 'guardrail:unbounded-write' });
  });

  it('keeps a journal with the better-sqlite3 the install compiled', async () => {
    const journal = ['--journal', join(dir, 'journal.db'), '--json'];
    const added = await installedSluice(['agents', 'add', 'ci-bot', '--group', 'ci', ...journal]);
    expect(added, added.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'ci-bot', groups: ['ci'], status: 'active' });
    const listed = await installedSluice(['agents', 'list', ...journal]);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'ci-bot' })]);
    const verified = await installedSluice(['audit', 'verify', ...journal]);
    expect(verified, verified.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
  });

  it('serves the web console from the packed files at / of the admin listener', async () => {
    const [adminPort, listenPort] = [await freePort(), await freePort()];
    writeFileSync(
      join(app, 'console.yaml'),
      `journal: { path: ${join(dir, 'console-journal.db')} }
admin: { listen: 127.0.0.1:${adminPort}, token: console-token-0123456789 }
connections:
  orders: { protocol: postgres, listen: 127.0.0.1:${listenPort}, upstream: postgres://svc@127.0.0.1:1/orders, policy: agents }
policies:
  agents: { guardrails: strict }
`,
    );
    const bin = join(app, 'node_modules/@sluice/cli/dist/sluice.js');
    const gateway = spawn(process.execPath, [bin, 'start', '--config', 'console.yaml'], {
      cwd: app,
      env: npmEnv(),
      stdio: 'ignore',
    });
    try {
      const url = `http://127.0.0.1:${adminPort}`;
      let page = '';
      for (let tries = 0; tries < 120 && !page.includes('id="app"'); tries++) {
        page = await fetch(url).then(
          (reply) => reply.text(),
          () => new Promise<string>((resolve) => setTimeout(() => resolve(''), 250)),
        );
      }
      expect(page).toContain('id="app"');
      const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(page)?.[1];
      const asset = await fetch(`${url}${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
    } finally {
      gateway.kill('SIGTERM');
    }
  });

  it(
    'runs the demo: PGlite starts in the bundled child script and finds its package to name its cache',
    async () => {
      const cache = join(dir, 'cache');
      const result = await installedSluice(['demo', '--once', '--dir', join(dir, 'demo')], {
        timeout: DEMO_TIMEOUT_MS,
        env: { XDG_CACHE_HOME: cache },
      });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain('sluice: blocked by');
      // The cache file is named after the PGlite version the child resolved from the bundle.
      expect(readdirSync(join(cache, 'sluice'))).toEqual([
        `pglite-${manifest.dependencies['@electric-sql/pglite']}-datadir.tar.gz`,
      ]);
    },
    DEMO_TIMEOUT_MS,
  );
});
