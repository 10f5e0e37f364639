import { describe, expect, it } from "vitest";
import { assigneeFor, describeIdentity, tokenSubject, workloadIdentitySettings } from "./identity.js";

const ENV = {
  AZURE_CLIENT_ID: "cid",
  AZURE_TENANT_ID: "tid",
  AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token",
};

describe("identity", () => {
  it("workload identity fills what the choice leaves out from AZURE_* and says what is missing", () => {
    expect(workloadIdentitySettings({ kind: "workload-identity" }, ENV)).toEqual({
      clientId: "cid",
      tenantId: "tid",
      tokenFile: "/var/run/secrets/azure/tokens/azure-identity-token",
      missing: [],
    });
    expect(
      workloadIdentitySettings({ kind: "workload-identity", clientId: "own" }, { AZURE_TENANT_ID: " " }),
    ).toEqual({
      clientId: "own",
      missing: ["AZURE_FEDERATED_TOKEN_FILE", "AZURE_TENANT_ID"],
    });
  });

  it.each([
    [{ kind: "managed-identity" }, "managed identity (system-assigned)"],
    [{ kind: "managed-identity", clientId: "c1" }, "managed identity (user-assigned, client id c1)"],
    [
      { kind: "managed-identity", resourceId: "/subscriptions/s/x" },
      "managed identity (user-assigned, resource id /subscriptions/s/x)",
    ],
    [{ kind: "managed-identity", objectId: "o1" }, "managed identity (user-assigned, object id o1)"],
    [
      { kind: "workload-identity" },
      "workload identity (client id cid, tenant tid, token file /var/run/secrets/azure/tokens/azure-identity-token)",
    ],
    [
      { kind: "federated-token", clientId: "c2", tenantId: "t2", token: "SECRET-TOKEN" },
      "workload identity with a ServiceAccount token (client id c2, tenant t2)",
    ],
    [{ kind: "azure-cli" }, "the Azure CLI's signed-in account"],
    [{ kind: "azure-cli", tenantId: "t3" }, "the Azure CLI's signed-in account (tenant t3)"],
  ] as const)("describes %j without secrets", (choice, text) => {
    expect(describeIdentity(choice, ENV)).toBe(text);
  });

  it("reads only plain ids from a token's claims", () => {
    expect(tokenSubject({ tid: "t", appid: "a", oid: "o", upn: "dev@contoso.com", extra: "x" })).toEqual({
      tenantId: "t",
      clientId: "a",
      objectId: "o",
      userName: "dev@contoso.com",
    });
    expect(tokenSubject({ azp: "a2", unique_name: "live.com#dev@x.com" })).toEqual({ clientId: "a2" });
    expect(tokenSubject({ tid: 5, oid: "has space", appid: "x".repeat(201) })).toEqual({});
    expect(tokenSubject(undefined)).toEqual({});
  });

  it("the assignee of the fix: the client id, else a user's name, else the object id", () => {
    const subject = { clientId: "a", objectId: "o", userName: "dev@contoso.com" };
    expect(assigneeFor({ kind: "managed-identity", clientId: "given" }, subject)).toBe("given");
    expect(assigneeFor({ kind: "managed-identity" }, subject)).toBe("a");
    expect(assigneeFor({ kind: "azure-cli" }, subject)).toBe("dev@contoso.com");
    expect(assigneeFor({ kind: "azure-cli" }, { objectId: "o" })).toBe("o");
    expect(assigneeFor({ kind: "federated-token", clientId: "c", tenantId: "t", token: "x" }, {})).toBe("c");
    expect(assigneeFor({ kind: "workload-identity" }, { objectId: "o" })).toBe("o");
  });
});
