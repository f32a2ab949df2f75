import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from '@sluice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sluice } from './support/cli.js';

/**
 * Every config a reader may copy from the documentation must load: the example files under
 * docs/ and docker/, and the YAML blocks of the docs pages that are configs (or parts of one).
 * Each goes through `sluice check`, as a reader would run it.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ROOT_KEYS = new Set(['journal', 'admin', 'identity', 'connections', 'policies']);
/** Docker Compose's files (compose.yaml, compose.scale.yaml), not Sluice's. */
const COMPOSE_FILE = /^compose(\.[\w-]+)?\.ya?ml$/;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) && !COMPOSE_FILE.test(entry.name) ? [path] : [];
  });
}

/** `${NAME}` references in a config, each once. */
function variablesOf(text: string): string[] {
  return [
    ...new Set([...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1] ?? '')),
  ];
}

let placeholders: string;

/**
 * A value for every variable a config uses: a port where a port goes, an existing file where a
 * file goes (TLS certificates and keys are only checked for existence), a secret elsewhere.
 */
function environmentFor(text: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of variablesOf(text)) {
    if (name.endsWith('PORT')) env[name] = '6432';
    else if (/_(TLS_CERT|TLS_KEY|FILE)$/.test(name))
      env[name] = join(placeholders, `${name.toLowerCase()}.pem`);
    else if (name.endsWith('JOURNAL')) env[name] = join(placeholders, 'sluice.db');
    else env[name] = `example-${name.toLowerCase()}`;
  }
  return env;
}

/** The YAML blocks of the docs pages whose top-level keys are all keys of a config. */
function configBlocks(): { readonly where: string; readonly text: string }[] {
  const docs = join(ROOT, 'docs');
  return readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => {
      const page = readFileSync(join(docs, name), 'utf8');
      return [...page.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].flatMap((match) => {
        const text = match[1] ?? '';
        const keys = [...text.matchAll(/^([A-Za-z_][\w-]*):/gm)].map((key) => key[1] ?? '');
        if (keys.length === 0 || !keys.every((key) => ROOT_KEYS.has(key))) return [];
        const line = page.slice(0, match.index).split('\n').length;
        return [{ where: `docs/${name}:${line}`, text }];
      });
    });
}

/** The connection a block that shows only other sections is checked with. */
const SOME_CONNECTION = `connections:
  orders:
    protocol: postgres
    listen: 127.0.0.1:6432
    upstream: postgres://sluice_svc@db.internal/orders
`;

/** Files a block names relative to its config, created empty: `sluice check` wants them to exist. */
function createReferencedFiles(text: string, dir: string): void {
  const paths = [
    ...text.matchAll(/(?:cert|key|jwks_file):\s*(\.\/[^\s,}]+)/g),
    ...text.matchAll(/sslrootcert=(\.\/[^\s&]+)/g),
  ].map((match) => match[1] ?? '');
  for (const path of paths) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), '');
  }
}

const scratchDirs: string[] = [];

function newScratchDir(prefix: string): string {
  const dir = scratchDir(prefix);
  scratchDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  placeholders = newScratchDir('sluice-examples-');
  for (const name of ['sluice_tls_cert', 'sluice_tls_key', 'sluice_jwks_file']) {
    writeFileSync(join(placeholders, `${name}.pem`), '');
  }
});

const files = [...yamlFiles(join(ROOT, 'docs')), ...yamlFiles(join(ROOT, 'docker'))];

describe('example configs', () => {
  it('are found under docs/ and docker/', () => {
    const names = files.map((file) => relative(ROOT, file));
    expect(names).toContain('docker/sluice.yaml');
    expect(names).toContain('docker/sluice.scale.yaml');
    expect(names).toContain('docs/examples/getting-started.yaml');
    expect(names.some((name) => COMPOSE_FILE.test(basename(name)))).toBe(false);
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))(
    '%s passes sluice check',
    async (_name, file) => {
      const result = await sluice(['check', '--config', file], environmentFor(readFileSync(file, 'utf8')));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/: ok \(\d+ connection\(s\), \d+ polic(y|ies)\)/);
    },
  );

  it('fail sluice check when a variable they use is not set', async () => {
    // The same command must be able to fail, or the passes above would mean nothing.
    const file = join(ROOT, 'docker/sluice.yaml');
    const env = environmentFor(readFileSync(file, 'utf8'));
    delete env.BILLING_DB_PASSWORD;
    const missing = await sluice(['check', '--config', file], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('environment variable BILLING_DB_PASSWORD is not set');
  });
});

describe('configs shown in the docs pages', () => {
  const blocks = configBlocks();

  it('are found', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });

  it.each(blocks.map((block) => [block.where, block.text]))(
    '%s passes sluice check',
    async (_where, text) => {
      const dir = newScratchDir('sluice-doc-block-');
      const config = /^connections:/m.test(text) ? text : `${text}${SOME_CONNECTION}`;
      createReferencedFiles(config, dir);
      const file = join(dir, 'sluice.yaml');
      writeFileSync(file, config);
      const result = await sluice(['check', '--config', file], environmentFor(config));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
  );
});
