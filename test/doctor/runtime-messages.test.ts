// Golden table: real runtime messages → cause, covering every row of the reference table (peers-audit-doctor.md
// table b) in the wordings of kubelet, containerd 1.6 / 1.7 / 2.x, CRI-O and dockershim.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CAUSE_IDS, recognizeRuntimeMessage, WORDINGS } from "../../src/doctor/index.js";
import { REPO_ROOT } from "../support/index.js";

interface GoldenRow {
  row: string;
  source: string;
  message: string;
  cause: string;
  runtime: string;
  image?: string;
  host?: string;
  status?: number;
  details?: Record<string, string>;
  also?: string[];
}

const golden = JSON.parse(readFileSync(join(REPO_ROOT, "testdata/doctor/runtime-messages.json"), "utf8")) as {
  referenceRows: Record<string, string>;
  rows: GoldenRow[];
};

describe("golden table of runtime messages", () => {
  it.each(golden.rows.map((r) => [`${r.row} ${r.source}: ${r.message.slice(0, 90)}`, r] as const))(
    "%s",
    (_name, row) => {
      const got = recognizeRuntimeMessage(row.message);
      expect(got.recognised).toBe(true);
      expect(got.cause).toBe(row.cause);
      expect(got.runtime).toBe(row.runtime);
      if (row.image !== undefined) expect(got.image).toBe(row.image);
      if (row.host !== undefined) expect(got.host).toBe(row.host);
      if (row.status !== undefined) expect(got.status).toBe(row.status);
      for (const [key, value] of Object.entries(row.details ?? {})) expect(got.details[key]).toBe(value);
      for (const cause of row.also ?? []) expect(got.also).toContain(cause);
      expect(got.wording).not.toBe("unrecognised");
      expect(got.meaning.length).toBeGreaterThan(10);
    },
  );

  it("covers every row of the reference table", () => {
    const covered = new Set(golden.rows.map((r) => r.row));
    for (const row of Object.keys(golden.referenceRows)) expect(covered, row).toContain(row);
    expect(Object.keys(golden.referenceRows)).toHaveLength(26);
  });

  it("covers containerd 1.6, 1.7 and 2.x, CRI-O and dockershim wordings", () => {
    const sources = new Set(golden.rows.map((r) => r.source));
    for (const source of [
      "kubelet",
      "containerd-1.6",
      "containerd-1.7",
      "containerd-2.x",
      "cri-o",
      "dockershim",
    ]) {
      expect(sources, source).toContain(source);
    }
  });

  it("expects only known cause ids", () => {
    for (const row of golden.rows) expect(CAUSE_IDS).toContain(row.cause);
  });

  it("every wording of the table is exercised by at least one golden row", () => {
    const used = new Set(golden.rows.map((r) => recognizeRuntimeMessage(r.message).wording));
    const unused = WORDINGS.map((w) => w.id).filter((id) => !used.has(id));
    expect(unused).toEqual([]);
  });
});

describe("recognizeRuntimeMessage", () => {
  it("reports unknown wording as unrecognised, with the raw (redacted) message", () => {
    const got = recognizeRuntimeMessage("rpc error: code = Unknown desc = something nobody has seen before");
    expect(got).toMatchObject({ recognised: false, cause: "unrecognised", wording: "unrecognised" });
    expect(got.message).toBe("rpc error: code = Unknown desc = something nobody has seen before");
  });

  it("keeps the scope and service of token URLs but drops other query parameters", () => {
    const got = recognizeRuntimeMessage(
      "failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?account=bob&scope=repository%3Aacme%2Fweb%3Apull&service=ghcr.io&token=abc: 401 Unauthorized",
    );
    expect(got.message).toContain(
      "https://ghcr.io/token?scope=repository%3Aacme%2Fweb%3Apull&service=ghcr.io: 401",
    );
    expect(got.message).not.toContain("bob");
    expect(got.message).not.toContain("abc");
    expect(got.cause).toBe("registry-requires-auth");
  });

  it("reads the stored error of a newer kubelet's back-off message, not the back-off", () => {
    const got = recognizeRuntimeMessage(
      'Back-off pulling image "quay.io/acme/app:1.0": ErrImagePull: initializing source docker://quay.io/acme/app:1.0: reading manifest 1.0 in quay.io/acme/app: manifest unknown',
    );
    expect(got.cause).toBe("image-not-found");
    expect(got.runtime).toBe("cri-o");
    expect(got.image).toBe("quay.io/acme/app:1.0");
  });

  it("a back-off whose stored error is unknown is unrecognised, not a generic back-off", () => {
    const got = recognizeRuntimeMessage(
      'Back-off pulling image "a/b:1": ErrImagePull: the flux capacitor is empty',
    );
    expect(got.recognised).toBe(false);
  });

  it("prefers missing credentials over the blurred 'pull access denied' wrapper", () => {
    const got = recognizeRuntimeMessage(
      "pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials",
    );
    expect(got.cause).toBe("registry-requires-auth");
  });

  it("lists the alternatives of a blurred answer", () => {
    const got = recognizeRuntimeMessage(
      "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
    );
    expect(got.cause).toBe("registry-access-denied");
    expect(got.alternatives).toEqual(["registry-requires-auth", "image-not-found"]);
    expect(got.details["serverMessage"]).toBe("insufficient_scope");
  });

  it("is total on odd input", () => {
    for (const input of [
      "",
      " ",
      "\u0000",
      "[]",
      "[, ]",
      'Back-off pulling image "": ErrImagePull: ',
      42 as unknown as string,
    ]) {
      expect(() => recognizeRuntimeMessage(input)).not.toThrow();
    }
  });
});
