import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@attention-oracle/source'] },
  ssr: { resolve: { conditions: ['@attention-oracle/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
