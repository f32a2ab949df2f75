import { closestKey } from './closest-key.js';
import { columnPatternProblem } from './column-pattern.js';
import { formatListenAddress, parseListenAddress } from './listen-address.js';
import { type ConfigProblem, formatYamlPath, type YamlPath } from './problems.js';
import { SCHEMES_BY_PROTOCOL, schemeOf } from './upstream-url.js';
import { problemAt, type YamlSource } from './yaml-source.js';

/**
 * Checks that relate several fields. They read the substituted YAML rather than the schema's
 * output, so they still run, and report, when some unrelated field is invalid.
 */
export function crossFieldProblems(source: YamlSource, raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report = (path: YamlPath, message: string): void => {
    problems.push(problemAt(source, path, message));
  };
  const root = mapping(raw);
  const connections = mapping(root?.connections) ?? {};
  const policyNames = Object.keys(mapping(root?.policies) ?? {});
  checkConnections(connections, policyNames, report);
  checkListenersUnique(connections, mapping(root?.admin), report);
  checkOidcIssuers(list(mapping(root?.identity)?.oidc), report);
  checkRules(mapping(root?.policies) ?? {}, Object.keys(connections), report);
  checkMaskingPatterns(mapping(root?.policies) ?? {}, report);
  return problems;
}

type Report = (path: YamlPath, message: string) => void;

function checkConnections(connections: Record<string, unknown>, policyNames: string[], report: Report): void {
  for (const [name, value] of Object.entries(connections)) {
    const connection = mapping(value);
    const path = ['connections', name];
    const policy = connection?.policy;
    if (typeof policy === 'string' && policy !== '' && !policyNames.includes(policy)) {
      report([...path, 'policy'], `no policy named "${policy}"${choices('policies', policy, policyNames)}`);
    }
    const protocol = connection?.protocol;
    const upstream = connection?.upstream;
    if ((protocol === 'postgres' || protocol === 'mysql') && typeof upstream === 'string') {
      const scheme = schemeOf(upstream);
      const allowed = SCHEMES_BY_PROTOCOL[protocol];
      const known = Object.values(SCHEMES_BY_PROTOCOL).some((schemes) => schemes.includes(scheme ?? ''));
      if (scheme !== undefined && known && !allowed.includes(scheme)) {
        const expected = allowed.map((name) => `${name}://`).join(' or ');
        report([...path, 'upstream'], `is a ${scheme}:// URL but protocol is ${protocol}; use ${expected}`);
      }
      if (connection?.upstream_password !== undefined && hasPassword(upstream)) {
        report(
          [...path, 'upstream_password'],
          'the upstream URL already holds a password; keep only one of them (upstream_password is safer)',
        );
      }
    }
  }
}

function checkListenersUnique(
  connections: Record<string, unknown>,
  admin: Record<string, unknown> | undefined,
  report: Report,
): void {
  const listeners: [YamlPath, unknown][] = Object.entries(connections).map(([name, value]) => [
    ['connections', name, 'listen'],
    mapping(value)?.listen,
  ]);
  listeners.push([['admin', 'listen'], admin?.listen]);
  const firstUse = new Map<string, YamlPath>();
  for (const [path, listen] of listeners) {
    const address = typeof listen === 'string' ? parseListenAddress(listen) : undefined;
    // Port 0 gives each listener its own free port, so it never collides.
    if (address === undefined || address.port === 0) continue;
    const key = formatListenAddress({ host: address.host.toLowerCase(), port: address.port });
    const earlier = firstUse.get(key);
    if (earlier === undefined) firstUse.set(key, path);
    else report(path, `${key} is already the listen address of ${formatYamlPath(earlier)}; use another port`);
  }
}

function checkOidcIssuers(issuers: unknown[] | undefined, report: Report): void {
  const firstUse = new Map<string, number>();
  issuers?.forEach((value, index) => {
    const entry = mapping(value);
    if (entry === undefined) return;
    const path = ['identity', 'oidc', index];
    if ((entry.jwks_uri === undefined) === (entry.jwks_file === undefined)) {
      report(
        path,
        'give exactly one of jwks_uri (keys fetched from the issuer) or jwks_file (keys in a local file)',
      );
    }
    const issuer = entry.issuer;
    if (typeof issuer !== 'string') return;
    const earlier = firstUse.get(issuer);
    if (earlier === undefined) firstUse.set(issuer, index);
    else
      report(
        [...path, 'issuer'],
        `this issuer is already configured in identity.oidc[${earlier}]; merge the two`,
      );
  });
}

function checkMaskingPatterns(policies: Record<string, unknown>, report: Report): void {
  for (const [policyName, policy] of Object.entries(policies)) {
    list(mapping(mapping(policy)?.masking)?.columns)?.forEach((value, index) => {
      const match = mapping(value)?.match;
      const problem = typeof match === 'string' ? columnPatternProblem(match) : null;
      if (problem) report(['policies', policyName, 'masking', 'columns', index, 'match'], problem);
    });
  }
}

function checkRules(policies: Record<string, unknown>, connectionNames: string[], report: Report): void {
  for (const [policyName, policy] of Object.entries(policies)) {
    const firstUse = new Map<string, number>();
    list(mapping(policy)?.rules)?.forEach((value, index) => {
      const rule = mapping(value);
      const path = ['policies', policyName, 'rules', index];
      if (typeof rule?.name === 'string') {
        const earlier = firstUse.get(rule.name);
        if (earlier === undefined) firstUse.set(rule.name, index);
        else report([...path, 'name'], `rules[${earlier}] already has this name; rule names must be unique`);
      }
      list(mapping(rule?.match)?.connections)?.forEach((connection, position) => {
        if (
          typeof connection === 'string' &&
          !connectionNames.some((name) => globMatches(connection, name))
        ) {
          report(
            [...path, 'match', 'connections', position],
            /[*?]/.test(connection)
              ? `"${connection}" matches no connection${choices('connections', connection, connectionNames)}`
              : `no connection named "${connection}"${choices('connections', connection, connectionNames)}`,
          );
        }
      });
    });
  }
}

function choices(section: string, name: string, defined: readonly string[]): string {
  if (defined.length === 0) return `; there are no ${section} defined`;
  const suggestion = closestKey(name, defined);
  const hint = suggestion === undefined ? '' : `did you mean "${suggestion}"? `;
  return `; ${hint}defined ${section}: ${defined.join(', ')}`;
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

function mapping(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.fromEntries(Object.entries(value));
}

function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** Rules match connections by glob (`*` any run, `?` one character), case-insensitively, as policy does. */
function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(name);
}
