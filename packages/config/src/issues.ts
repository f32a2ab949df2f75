import type { core } from 'zod';
import type { ConfigProblem, YamlPath } from './problems.js';
import { problemAt, type YamlSource } from './yaml-source.js';

/**
 * Positions schema issues in the file. Issues under a path whose `${VAR}` or `file:` could not
 * be substituted are dropped: they would only restate that problem.
 */
export function problemsFromIssues(
  source: YamlSource,
  issues: readonly core.$ZodIssue[],
  failedPaths: readonly YamlPath[],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((segment) => typeof segment !== 'symbol');
    if (failedPaths.some((failed) => startsWith(path, failed))) continue;
    if (issue.code === 'unrecognized_keys') {
      // `section` writes one line per unknown key, in the order of `issue.keys`.
      const messages = issue.message.split('\n');
      issue.keys.forEach((key, index) => {
        problems.push(problemAt(source, [...path, key], messages[index] ?? issue.message, 'key'));
      });
    } else {
      problems.push(problemAt(source, path, issue.message));
    }
  }
  return problems;
}

function startsWith(path: YamlPath, prefix: YamlPath): boolean {
  return (
    prefix.length <= path.length && prefix.every((segment, index) => String(path[index]) === String(segment))
  );
}
