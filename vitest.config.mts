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
    // postgres.js 3.4.9 writes its own ROLLBACK to a socket the server has just closed (a
    // terminated backend) from a timer, where nothing can catch it (porsager/postgres#1208).
    // The query it belongs to has already failed and the app has moved on; only that one
    // write is ignored here, as Next.js logs and survives it in the app.
    onUnhandledError: (error) => !(error.name === "TypeError" && error.message === "Cannot read properties of null (reading 'write')" && /postgres[/\\](src|cjs)[/\\]/.test(error.stack ?? "")),
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
