import { describe, expect, it } from "vitest";
import type { Plan } from "../plan/index.js";
import { layoutIdentities } from "./node-identity.js";

describe("layoutIdentities (audit --layout)", () => {
  it("counts the registries a layout pulls with a cloud identity or a credential provider, not those with secrets", () => {
    const plan = {
      decisions: [
        { method: "identity", host: "acme.azurecr.io", registry: "acr", summary: "AKS kubelet identity" },
        { method: "secret", host: "ghcr.io", registry: "ghcr", summary: "a pull secret" },
        {
          method: "credential-provider",
          host: "harbor.example.com",
          registry: "harbor",
          summary: "exec plugin",
        },
      ],
    } as unknown as Plan;
    expect(layoutIdentities(plan, "layout.yaml")).toEqual([
      {
        matchImages: ["acme.azurecr.io"],
        label: "cloud identity from layout.yaml: AKS kubelet identity",
        source: "layout.yaml (registry acr)",
      },
      {
        matchImages: ["harbor.example.com"],
        label: "kubelet credential provider from layout.yaml: exec plugin",
        source: "layout.yaml (registry harbor)",
      },
    ]);
  });
});
