/** Types for the release bundler, so tests written in TypeScript can call it. */
export function bundleCli(options: {
  readonly entry: string;
  readonly outdir: string;
  readonly name: string;
  readonly root: string;
}): Promise<{ readonly files: string[]; readonly dependencies: Record<string, string> }>;
