import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ConfigProblem,
  formatProblem,
  loadConfig,
  parseDuration,
  parseListenAddress,
} from '../src/index.js';
import { removeScratchDirs, scratchConfigDir } from './support/configs.js';

afterAll(removeScratchDirs);

describe('parseDuration', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('90d')).toBe(7_776_000_000);
    expect(parseDuration('400d')).toBe(34_560_000_000);
  });

  it('refuses numbers without a unit and anything else malformed', () => {
    for (const text of [
      '30',
      '',
      's',
      '1.5h',
      '-5m',
      '5 m',
      '5M',
      '1w',
      '5ms',
      '30s ',
      `${'9'.repeat(20)}d`,
    ]) {
      expect(parseDuration(text), text).toBeUndefined();
    }
  });
});

describe('parseListenAddress', () => {
  it('reads IPv4, bracketed IPv6 and host names', () => {
    expect(parseListenAddress('127.0.0.1:6432')).toEqual({ host: '127.0.0.1', port: 6432 });
    expect(parseListenAddress('[::1]:6432')).toEqual({ host: '::1', port: 6432 });
    expect(parseListenAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseListenAddress('0.0.0.0:65535')).toEqual({ host: '0.0.0.0', port: 65_535 });
  });

  it('refuses what a listener could not bind', () => {
    for (const text of [
      '6432',
      ':6432',
      'localhost',
      'localhost:65536',
      '::1:6432',
      '[nothost]:1',
      'a b:1',
      'h:-1',
    ]) {
      expect(parseListenAddress(text), text).toBeUndefined();
    }
  });
});

describe('formatProblem', () => {
  const problem: ConfigProblem = {
    file: join(process.cwd(), 'sluice.yaml'),
    line: 12,
    column: 5,
    path: 'connections.orders.listen',
    message: 'expected host:port such as 127.0.0.1:6432',
  };

  it('shows file:line:column, the YAML path and the message, the file relative to cwd', () => {
    expect(formatProblem(problem)).toBe(
      'sluice.yaml:12:5 connections.orders.listen: expected host:port such as 127.0.0.1:6432',
    );
  });

  it('keeps an absolute path when it is shorter than the relative one', () => {
    const far = { ...problem, file: '/etc/sluice.yaml', path: '' };
    expect(formatProblem(far)).toBe('/etc/sluice.yaml:12:5 expected host:port such as 127.0.0.1:6432');
  });
});

describe('loadConfig', () => {
  it('reports an unreadable file as one problem at line 1', () => {
    const file = join(scratchConfigDir(), 'absent.yaml');
    const result = loadConfig(file, {});
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: 'cannot read the config file (ENOENT); give the path of a readable YAML file',
        },
      ],
    });
  });

  it('resolves relative paths against the config file, not the working directory', () => {
    const dir = scratchConfigDir({
      'conf/sluice.yaml': [
        'journal: { path: ../data/journal.db }',
        'connections:',
        '  orders: { protocol: postgres, listen: 127.0.0.1:6432, upstream: postgres://svc@db/orders }',
      ].join('\n'),
    });
    const result = loadConfig(join(dir, 'conf/sluice.yaml'), {});
    expect(result.ok && result.config.journal.path).toBe(join(dir, 'data/journal.db'));
  });
});
