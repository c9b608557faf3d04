import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "contracts/domain/**/*.test.ts",
      "runtime/src/**/*.test.ts",
      "indexer/*.test.ts",
      "indexer/lib/**/*.test.ts",
      "guardian/src/**/*.test.ts",
      "notifier/src/**/*.test.ts",
      "assistant/src/**/*.test.ts",
      "web/*.test.ts",
      "web/src/**/*.test.{ts,tsx}",
      "supervisor/src/**/*.test.ts",
      "e2e/src/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**"],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // Integration tests start real chains and processes; two cores run them one file at a time.
    fileParallelism: false,
  },
});
