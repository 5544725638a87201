// Test runner configuration: Node for electron/, shared/ and e2e helpers; jsdom for renderer/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'build/**/*.test.ts'],
          // Reports DisposableStores and Emitters a test file left undisposed.
          setupFiles: ['electron/core/testing/leak-report.setup.ts'],
          testTimeout: 60_000,
          // The SDK's notice about future Node versions is noise in test output.
          env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
