import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Build dist/ (CLI tests run the shipped binary), then start PostgreSQL for the store tests.
    globalSetup: ["test/setup/tmpdir.ts", "test/setup/build.ts", "test/setup/services.ts"],
    // Property tests draw their inputs from the commit's seed (see the file).
    setupFiles: ["test/setup/fc-seed.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // In CI also write a JSON summary, from which .ci/run prints the closing "N passed, N failed" line.
    reporters: process.env.CI ? ["default", ["json", { outputFile: ".ci/test-results.json" }]] : ["default"],
  },
});
