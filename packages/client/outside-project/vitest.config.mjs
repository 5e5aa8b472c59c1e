import { defineConfig } from 'vitest/config';

// The sources only: tsc also writes the test's compiled copy under build/.
export default defineConfig({ test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } });
