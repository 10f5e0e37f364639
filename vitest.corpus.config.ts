import { defineConfig } from "vitest/config";

// The audit over the real-world corpus of public manifests (outside this repository): `npm run test:corpus`.
export default defineConfig({
  test: { include: ["test/audit/corpus.corpus-test.ts"], testTimeout: 120_000, pool: "forks" },
});
