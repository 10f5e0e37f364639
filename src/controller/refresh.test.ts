import { describe, expect, it } from "vitest";
import type { ResolvedCredential } from "../cloud/source.js";
import { attemptRefresh, credentialSourceOf } from "./refresh.js";
import type { RefreshPorts } from "./refresh.js";

const now = new Date("2026-06-01T00:00:00Z");
const CANARY = "mint-Canary-3";

function ports(
  resolved: ResolvedCredential[] | Error,
  verdict: { ok: true } | { ok: false; message: string } = { ok: true },
) {
  const calls: string[] = [];
  const p: RefreshPorts = {
    now: () => now,
    resolve: (source) => {
      calls.push(source.kind);
      return resolved instanceof Error ? Promise.reject(resolved) : Promise.resolve(resolved);
    },
    verify: () => Promise.resolve(verdict),
  };
  return { p, calls };
}

const ecr = (password: string, expiresAt?: Date): ResolvedCredential => ({
  server: "1.dkr.ecr.eu-west-1.amazonaws.com",
  username: "AWS",
  password,
  ...(expiresAt ? { expiresAt } : {}),
  source: "test",
  identity: "test",
});

describe("credentialSourceOf: the layout's model", () => {
  it("maps each source kind", () => {
    expect(credentialSourceOf({ static: { secretRef: { name: "s" } } }, "ns")).toEqual({
      kind: "file",
      path: "secret/ns/s",
    });
    expect(
      credentialSourceOf(
        { ecr: { registry: "1.dkr.ecr.eu-west-1.amazonaws.com", region: "eu-west-1" } },
        "ns",
      ),
    ).toMatchObject({ kind: "cloud-token", provider: "ecr", region: "eu-west-1" });
    expect(credentialSourceOf({ acr: { registry: "reg.azurecr.io" } }, "ns")).toMatchObject({
      kind: "cloud-token",
      provider: "acr",
      registryName: "reg",
    });
    expect(credentialSourceOf({}, "ns")).toBeUndefined();
  });
});

describe("attemptRefresh: one source call, then verify", () => {
  const spec = { source: { ecr: { registry: "1.dkr.ecr.eu-west-1.amazonaws.com" } } };

  it("accepted: a candidate with the earliest expiry, from one call", async () => {
    const { p, calls } = ports([ecr(CANARY, new Date(now.getTime() + 3_600_000))]);
    const outcome = await attemptRefresh(spec, "ns", p);
    expect(calls).toEqual(["cloud-token"]);
    expect(outcome.kind).toBe("accepted");
    expect(outcome.kind === "accepted" && outcome.candidate.expiresAt).toEqual(
      new Date(now.getTime() + 3_600_000),
    );
  });

  it("a source error is a mint failure with its first line only", async () => {
    const { p } = ports(new Error("ECR answered 500\nstack trace with details"));
    expect(await attemptRefresh(spec, "ns", p)).toEqual({ kind: "mint-failed", message: "ECR answered 500" });
  });

  it("nothing from the source, or an entry real consumers reject, is a mint failure; no value in the message", async () => {
    expect(await attemptRefresh(spec, "ns", ports([]).p)).toEqual({
      kind: "mint-failed",
      message: "the source holds no registry credentials",
    });
    const hostile = await attemptRefresh(spec, "ns", ports([{ ...ecr(CANARY), username: "a:b\u0000" }]).p);
    expect(hostile.kind).toBe("mint-failed");
    expect(JSON.stringify(hostile)).not.toContain(CANARY);
  });

  it("an already expired credential is not even verified", async () => {
    const outcome = await attemptRefresh(spec, "ns", ports([ecr(CANARY, new Date(now.getTime() - 1))]).p);
    expect(outcome).toMatchObject({
      kind: "verify-failed",
      message: "the source's credential expired at 2026-05-31T23:59:59.999Z",
    });
  });

  it("a verification failure carries the engine's message", async () => {
    const outcome = await attemptRefresh(
      spec,
      "ns",
      ports([ecr(CANARY)], { ok: false, message: "r: unauthorized: HTTP 401" }).p,
    );
    expect(outcome).toMatchObject({ kind: "verify-failed", message: "r: unauthorized: HTTP 401" });
  });
});
