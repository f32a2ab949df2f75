import { defineConfig } from 'vite';

// Every asset is bundled into dist/: the admin listener serves it, nothing comes from a CDN.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
