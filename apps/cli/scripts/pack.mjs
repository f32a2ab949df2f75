// Packs the sluice CLI as a release does: builds it with the workspace packages it needs, bundles
// them into a staged npm package whose manifest lists only real npm dependencies (at the versions
// the workspace declares), and runs `npm pack` on that staging folder. Prints the tarball's path.
//
//   node apps/cli/scripts/pack.mjs [--pack-destination DIR]    (default: the current folder)
//
// The staging folder lives outside the repository: the workspace manifest is never rewritten.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleCli } from './bundle.mjs';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = resolve(CLI_DIR, '../..');
const BIN = 'sluice';
const SHEBANG = '#!/usr/bin/env node\n';

const { values } = parseArgs({ options: { 'pack-destination': { type: 'string', default: '.' } } });
const destination = resolve(values['pack-destination']);

try {
  // Build output goes to stderr: standard output carries only the tarball's path.
  run(
    join(ROOT, 'node_modules/.bin/turbo'),
    ['run', 'build', '--filter=@sluice/cli', '--output-logs=errors-only'],
    {
      cwd: ROOT,
      stdio: ['ignore', 2, 2],
    },
  );
  const stage = mkdtempSync(join(tmpdir(), 'sluice-cli-pack-'));
  try {
    const { dependencies } = await bundleCli({
      entry: join(CLI_DIR, 'dist/main.js'),
      outdir: join(stage, 'dist'),
      name: BIN,
      root: ROOT,
    });
    const bin = `dist/${BIN}.js`;
    if (!readFileSync(join(stage, bin), 'utf8').startsWith(SHEBANG)) {
      throw new Error(`sluice: ${bin} lost the ${SHEBANG.trim()} line of apps/cli/src/main.ts`);
    }
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest(bin, dependencies), null, 2)}\n`);
    copyFileSync(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'));
    copyFileSync(join(CLI_DIR, 'scripts/package-readme.md'), join(stage, 'README.md'));
    const packed = run('npm', ['pack', stage, '--pack-destination', destination, '--json'], {
      cwd: stage,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(`${join(destination, JSON.parse(packed)[0].filename)}\n`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

/** The published manifest: the CLI's identity, the bundle as its bin, and no workspace links. */
function manifest(bin, dependencies) {
  const cli = readJson(join(CLI_DIR, 'package.json'));
  const workspace = readJson(join(ROOT, 'package.json'));
  return {
    name: cli.name,
    version: cli.version,
    description: cli.description,
    license: cli.license,
    type: 'module',
    bin: { [BIN]: bin },
    files: ['dist'],
    engines: workspace.engines,
    dependencies,
  };
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Runs a program to completion; its standard output, or an error naming it. */
function run(program, args, options) {
  const result = spawnSync(program, args, { ...options, encoding: 'utf8' });
  if (result.error) throw new Error(`sluice: ${program} could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`sluice: ${[program, ...args].join(' ')} exited with ${result.signal ?? result.status}`);
  }
  return result.stdout;
}
