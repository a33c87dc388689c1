import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: ['default', './test/support/summaryReporter.ts'],
    // Every project inherits it (extends: true): dist/ is current before any suite spawns the CLI.
    globalSetup: ['test/support/buildDist.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One real Neo4j for the run; suites share it and each starts from an empty graph,
          // so integration files run one at a time.
          globalSetup: ['test/support/globalSetup.ts'],
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The ring viewer in a real Chromium (test/support/browser.ts), against `ringwatch serve`
          // and its own Neo4j; after the other projects, so two Neo4j-heavy groups never share the
          // machine's cores. `npx vitest run --project unit --project integration` leaves it out.
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/globalSetup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
