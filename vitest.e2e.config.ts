import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts', 'test/packaging/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['test/support/e2e-global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // Every web host the e2e starts logs here (not in its throw-away data dir), so the log scan
    // after the suites (test/security/log-scan.ts over test-results/logs/) reads what they wrote.
    env: { RELAIS_LOG_DIR: join(import.meta.dirname, 'test-results', 'logs', 'e2e') },
  },
});
