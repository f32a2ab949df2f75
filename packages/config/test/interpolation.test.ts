// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the config syntax these tests feed in
import { afterAll, describe, expect, it } from 'vitest';
import { configOf, located, problemsOf, removeScratchDirs, scratchConfigDir } from './support/configs.js';

afterAll(removeScratchDirs);

/** A config whose only free-form value is the audience of one OIDC issuer. */
function withAudience(audience: string): string[] {
  return [
    'identity:',
    '  oidc:',
    `    - { issuer: https://a.example/, jwks_uri: https://a.example/jwks, audience: "${audience}" }`,
    'connections:',
    '  orders: { protocol: postgres, listen: 127.0.0.1:6432, upstream: postgres://svc@db/orders }',
  ];
}

function audienceOf(audience: string, env: NodeJS.ProcessEnv = {}, dir?: string): string | undefined {
  return configOf(withAudience(audience), { env, dir }).identity.oidc[0]?.audience;
}

describe('${VAR}', () => {
  it('is replaced anywhere in a value, as often as it appears', () => {
    expect(audienceOf('${A}-${B}-${A}', { A: 'x', B: 'y' })).toBe('x-y-x');
  });

  it('reads only the environment it is given', () => {
    const problems = problemsOf(withAudience('${PATH}'), { env: {} });
    expect(problems.map(located)).toEqual([
      '3:81 identity.oidc[0].audience: environment variable PATH is not set; set it or change the value',
    ]);
  });

  it('accepts a variable that is set but empty', () => {
    expect(audienceOf('pre${EMPTY}post', { EMPTY: '' })).toBe('prepost');
  });

  it('keeps a lone $ and turns $${ into a literal ${', () => {
    expect(audienceOf('co$t $${NOT_A_VAR}')).toBe('co$t ${NOT_A_VAR}');
  });

  it('refuses an unclosed ${ and a ${ without a variable name', () => {
    expect(problemsOf(withAudience('${UNCLOSED'))[0]?.message).toBe(
      '${ is not closed; write ${NAME}, or $${ for a literal ${',
    );
    expect(problemsOf(withAudience('${not a name}'))[0]?.message).toBe(
      '${…} must hold a variable name such as ${ORDERS_DB_PASSWORD}; write $${ for a literal ${',
    );
  });

  it('reports every missing variable and nothing else about that value', () => {
    const problems = problemsOf(
      [
        'connections:',
        '  orders:',
        '    protocol: postgres',
        '    listen: ${HOST}:${PORT}',
        '    upstream: postgres://svc@db/orders',
      ],
      { env: {} },
    );
    expect(problems.map(located)).toEqual([
      '4:13 connections.orders.listen: environment variable HOST is not set; set it or change the value',
      '4:13 connections.orders.listen: environment variable PORT is not set; set it or change the value',
    ]);
  });

  it('does not touch keys', () => {
    const problems = problemsOf(['${KEY}: 1', 'connections: {}'], { env: { KEY: 'journal' } });
    expect(problems.map((problem) => problem.path)).toContain('["${KEY}"]');
  });
});

describe('file:PATH', () => {
  it('reads the file relative to the config directory and trims only trailing newlines', () => {
    const dir = scratchConfigDir({ 'secrets/audience': '  spaced value \r\n\n' });
    expect(audienceOf('file:./secrets/audience', {}, dir)).toBe('  spaced value ');
  });

  it('reads an absolute path and expands variables in the path', () => {
    const dir = scratchConfigDir({ 'aud.txt': 'from-file\n' });
    expect(audienceOf('file:${DIR}/aud.txt', { DIR: dir })).toBe('from-file');
  });

  it('does not expand variables inside the file content', () => {
    const dir = scratchConfigDir({ 'aud.txt': 'literal ${VAR}' });
    expect(audienceOf('file:aud.txt', {}, dir)).toBe('literal ${VAR}');
  });

  it('leaves a file:// URL alone', () => {
    expect(audienceOf('file:///etc/hostname')).toBe('file:///etc/hostname');
  });

  it('reports a missing file or directory with its absolute path', () => {
    const dir = scratchConfigDir({ 'folder/inner': '' });
    expect(problemsOf(withAudience('file:./missing'), { dir }).map(located)).toEqual([
      `3:81 identity.oidc[0].audience: cannot read ${dir}/missing (no such file); file:PATH must name a readable file`,
    ]);
    expect(problemsOf(withAudience('file:folder'), { dir })[0]?.message).toBe(
      `cannot read ${dir}/folder (it is a directory); file:PATH must name a readable file`,
    );
    expect(problemsOf(withAudience('file:'), { dir })[0]?.message).toBe(
      'file: needs a path, such as file:/run/secrets/db-password',
    );
  });
});
