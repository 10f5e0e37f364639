import { defineConfig } from "vitest/config";

// Two projects (test/README.md says where each kind of test goes):
// - unit: the pure tests colocated with src/. Threads without isolation: no processes, no servers, no global
//   state, so module loading is shared and the whole project runs in seconds.
// - integration: test/ (CLI, real components, a real Kubernetes control plane). Forks, isolated, with room for the
//   registries, containerd and API servers they start; dist/ is built first when stale (global setup).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["src/**/*.test.ts"],
          pool: "threads",
          isolate: false,
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          pool: "forks",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          globalSetup: ["test/support/build-dist.ts"],
        },
      },
    ],
  },
});
