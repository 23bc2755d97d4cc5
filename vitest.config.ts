import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,main,preload,native-bridges,sandbox,renderer,test,bench,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['node_modules/**', 'dist/**', 'test/e2e/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
