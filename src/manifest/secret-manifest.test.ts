import { describe, expect, it } from "vitest";
import { printSecretJson, printSecretName, printSecretYaml } from "./secret-manifest.js";
import { secretHash, withHashSuffix } from "./secret-hash.js";

// From the kubectl docs in ../shared/reference/test-infra.md §4 (kubectl 1.32 output).
const payload =
  "eyJhdXRocyI6eyIxMjcuMC4wLjE6NTQ0MyI6eyJ1c2VybmFtZSI6InRlc3R1c2VyIiwicGFzc3dvcmQiOiJ0ZXN0cGFzcyIsImVtYWlsIjoiY2lAZXhhbXBsZS5jb20iLCJhdXRoIjoiZEdWemRIVnpaWEk2ZEdWemRIQmhjM009In19fQ==";
const secret = { name: "x", type: "kubernetes.io/dockerconfigjson", data: { ".dockerconfigjson": payload } };

describe("kubectl printers", () => {
  it("prints YAML like kubectl 1.32", () => {
    expect(printSecretYaml(secret)).toBe(
      `apiVersion: v1\ndata:\n  .dockerconfigjson: ${payload}\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: x\ntype: kubernetes.io/dockerconfigjson\n`,
    );
  });

  it("prints YAML like kubectl 1.34 without creationTimestamp", () => {
    expect(printSecretYaml({ ...secret, namespace: "apps" }, { creationTimestampNull: false })).toContain(
      "metadata:\n  name: x\n  namespace: apps\ntype:",
    );
  });

  it("prints JSON in Go struct order with 4-space indent", () => {
    expect(printSecretJson({ ...secret, namespace: "apps" })).toBe(
      `{\n    "kind": "Secret",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "x",\n        "namespace": "apps",\n        "creationTimestamp": null\n    },\n    "data": {\n        ".dockerconfigjson": "${payload}"\n    },\n    "type": "kubernetes.io/dockerconfigjson"\n}\n`,
    );
  });

  it("prints -o name", () => {
    expect(printSecretName(secret)).toBe("secret/x\n");
  });
});

describe("secretHash (kubectl --append-hash)", () => {
  const dockerconfig = (server: string, email: string) =>
    Buffer.from(
      JSON.stringify({
        auths: {
          [server]: {
            username: "test-user",
            password: "test-password",
            email,
            auth: Buffer.from("test-user:test-password").toString("base64"),
          },
        },
      }),
    ).toString("base64");

  it("matches kubectl's own test vector (foo-548cm7fgdh)", () => {
    const data = {
      ".dockerconfigjson": dockerconfig("https://index.docker.io/v1/", "test-user@example.org"),
    };
    const hashed = withHashSuffix({ name: "foo", type: "kubernetes.io/dockerconfigjson", data });
    expect(hashed.name).toBe("foo-548cm7fgdh");
  });

  it("matches a vector computed by kubectl 1.32 for ghcr.io (foo-d24t2f7kf9)", () => {
    const data = { ".dockerconfigjson": dockerconfig("ghcr.io", "a@b.c") };
    expect(secretHash({ name: "foo", type: "kubernetes.io/dockerconfigjson", data })).toBe("d24t2f7kf9");
  });

  it("never contains the characters kubectl swaps out", () => {
    const hash = secretHash({ name: "n", type: "t", data: { k: "dg==" } });
    expect(hash).toMatch(/^[^013ae]{10}$/);
  });
});
