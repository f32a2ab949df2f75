// `pnpm pack` / `npm pack` here would ship the workspace manifest, whose @sluice/* dependencies
// are links to packages that are never published: the tarball would not install. The release
// tarball comes from scripts/pack.mjs, which bundles them and writes its own manifest.
process.stderr.write(
  'sluice: pack the CLI with `pnpm --filter @sluice/cli run pack:release` (node apps/cli/scripts/pack.mjs); ' +
    'a plain pack of apps/cli would depend on unpublished workspace packages\n',
);
process.exit(1);
