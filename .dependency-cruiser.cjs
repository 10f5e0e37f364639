// Layer rules from ARCHITECTURE.md: each layer imports only from layers above it.
// Order (top = most basic): text, process, kube-model, reference, hosts, tokens, dockerconfig, registry, cloud,
// kube, plan, audit, doctor, controller, credential-provider, cli. errors.ts is importable by all; so is process/
// (other programs, such as credential helpers and cloud CLIs, run with bounds).
const layers = [
  "text",
  "process",
  "kube-model",
  "reference",
  "hosts",
  "tokens",
  "dockerconfig",
  "manifest",
  "inspect",
  "credential-helpers",
  "registry",
  "desired",
  "cloud",
  "kube",
  "apply",
  "plan",
  "audit",
  "doctor",
  "controller",
  "credential-provider",
  "cli",
];

// The I/O edges that talk to a cluster: only they may import kube/ and load @kubernetes/client-node.
const KUBE_EDGES = [
  "^src/kube/",
  "^src/cli/",
  "^src/kube-entry\\.ts$",
  "^src/apply/(apply|execute|observe|index)\\.ts$",
  "^src/controller/runtime/",
].join("|");

const layerRules = layers.map((layer, index) => ({
  name: `layer-${layer}`,
  comment: `${layer}/ may import only from layers above it (${layers.slice(0, index).join(", ") || "none"})`,
  severity: "error",
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${layers.slice(index + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "pure-core-no-io",
      comment:
        "the pure core (text, kube-model, reference, hosts, tokens, dockerconfig, ...) uses no node I/O module",
      severity: "error",
      from: {
        path: "^src/(text|kube-model|reference|hosts|tokens|dockerconfig|manifest|inspect|desired)/|^src/(concurrency|duration)\\.ts$",
        pathNot: "\\.test\\.ts$",
      },
      to: { path: "^(node:)?(fs|http|https|net|tls|child_process|dns)(/|$)", dependencyTypes: ["core"] },
    },
    {
      name: "audit-pure-but-inputs",
      comment:
        "audit's rules, graph and reporters are pure: only src/audit/inputs.ts (files, directories, globs, stdin) does I/O, and nothing else in audit imports it",
      severity: "error",
      from: { path: "^src/audit/", pathNot: "^src/audit/inputs\\.ts$|\\.test\\.ts$" },
      to: {
        path: "^(node:)?(fs|http|https|net|tls|child_process|dns)(/|$)|^src/audit/inputs\\.ts$|(^|/)node_modules/tinyglobby/",
      },
    },
    {
      name: "kube-client-only-reached-from-io-edges",
      comment:
        "Loading @kubernetes/client-node costs seconds: no module but the I/O edges (kube/, apply's apply/execute/observe, kube-entry.ts, cli/) may reach it by any chain of imports, so the pure core, the planners, reconcile and the library entry never load it",
      severity: "error",
      from: { path: "^src/", pathNot: KUBE_EDGES },
      to: { path: "@kubernetes/client-node", reachable: true },
    },
    {
      name: "azure-sdk-only-in-entra-token",
      comment:
        "@azure/identity is heavy: only src/cloud/acr/entra-token.ts loads it (by dynamic import, when an ACR token is minted), so nothing that does not mint one loads it",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cloud/acr/entra-token\\.ts$" },
      to: { path: "@azure/" },
    },
    {
      name: "kube-only-from-io-edges",
      comment:
        "kube/ is the client edge: only the I/O edges import it; the Kubernetes facts every layer needs are kube-model/",
      severity: "error",
      from: { path: "^src/", pathNot: KUBE_EDGES },
      to: { path: "^src/kube/" },
    },
    {
      name: "no-client-node-internals",
      comment:
        "@kubernetes/client-node has no exports map, so nothing stops a deep import of its dist/ files; they are internal and change without notice: use what its entry exports",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "@kubernetes/client-node/dist/(?!index\\.(js|d\\.ts)$)" },
    },
    {
      name: "kube-client-only-in-kube",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/kube/" },
      to: { path: "@kubernetes/client-node" },
    },
    {
      name: "nothing-imports-cli",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "src-not-from-test",
      severity: "error",
      from: { path: "^src/", pathNot: "\\.test\\.ts$" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.test\\.ts$" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
