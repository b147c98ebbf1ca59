import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    include: ["{lib,db,inngest}/**/*.test.ts"],
    // Builds one migrated, seeded database; each test file then gets its own copy.
    globalSetup: ["db/testing/global-setup.ts"],
    setupFiles: ["db/testing/per-file-setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
