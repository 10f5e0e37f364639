import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Real-component suites start registries and containerd; give them room but keep units fast.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
