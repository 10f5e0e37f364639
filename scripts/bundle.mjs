// Bundles the CLI entry into dist/bin/ with esbuild: one small entry chunk and lazily loaded chunks per
// command (code splitting keeps `await import()` lazy). Fewer, pre-resolved modules start faster than the
// ~100 files tsc emits; the library build (dist/*.js, with types) is untouched.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry content hashes: start clean so stale chunks never pile up.
rmSync("dist/bin", { recursive: true, force: true });

await build({
  entryPoints: { main: "src/cli/main.ts" },
  outdir: "dist/bin",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: false,
  legalComments: "none",
  // Heavy SDKs stay in node_modules and load only when a command imports them.
  external: ["@kubernetes/client-node", "@aws-sdk/*", "@azure/*", "@grpc/*"],
  // commander is CommonJS; its require() of node built-ins needs a real require inside an ESM bundle.
  banner: {
    js: "import { createRequire as __pwCreateRequire } from 'node:module'; const require = __pwCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
