import { expect, it } from "vitest";
import { expandSpec } from "./expand.js";

it("expands names and selectors into one object per namespace, without duplicates", () => {
  const state = expandSpec(
    {
      secrets: [
        {
          name: "ghcr-pull",
          source: { kind: "env", server: "ghcr.io", username: "bot", passwordEnv: "GHCR_TOKEN" },
          namespaces: { kind: "names", names: ["apps", "apps", "web"] },
          serviceAccounts: ["default"],
        },
        {
          name: "ghcr-pull",
          source: { kind: "env", server: "ghcr.io", username: "bot", passwordEnv: "GHCR_TOKEN" },
          namespaces: { kind: "selector", labelSelector: "team=web" },
          serviceAccounts: ["default", "builder"],
        },
      ],
    },
    (selector) => (selector === "team=web" ? ["web", "web-staging"] : []),
  );
  expect(state.secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual([
    "apps/ghcr-pull",
    "web/ghcr-pull",
    "web-staging/ghcr-pull",
  ]);
  expect(state.bindings.map((b) => `${b.namespace}/${b.serviceAccount}`)).toEqual([
    "apps/default",
    "web/default",
    "web/builder",
    "web-staging/default",
    "web-staging/builder",
  ]);
});
