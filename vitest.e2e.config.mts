import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["e2e/**/*.spec.ts"],
    // Starts `next start` on a fresh database for the whole run.
    globalSetup: ["e2e/server.ts"],
    fileParallelism: false,
    // A browser flow that fails once on a loaded CI machine gets one more try; .ci/run names
    // every test that needed it, so a flaky test is seen and fixed rather than hidden.
    retry: 1,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
