import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'console',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/support/install-chromium.ts'],
  },
});
