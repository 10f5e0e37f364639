import { describe, expect, it } from "vitest";
import { describePayloadChange } from "./diff.js";

const payload = (keys: Record<string, string>) =>
  JSON.stringify({
    auths: Object.fromEntries(
      Object.entries(keys).map(([key, password]) => [
        key,
        { auth: Buffer.from(`bot:${password}`).toString("base64") },
      ]),
    ),
  });

describe("describePayloadChange", () => {
  it("names registries added, changed, unchanged and removed, never a value", () => {
    const before = payload({ "a.io": "one", "b.io": "two", "c.io": "three" });
    const after = payload({ "a.io": "one", "b.io": "changed", "d.io": "four" });
    expect(describePayloadChange(before, after)).toEqual([
      "      a.io (unchanged)",
      "    ~ b.io (credentials changed)",
      "    + d.io (added)",
      "    - c.io (removed)",
    ]);
  });

  it("redacts user info in keys, as every key shown", () => {
    const before = payload({ "https://bot:CANARY-old@a.io": "x" });
    const after = payload({ "https://bot:CANARY-new@b.io": "y" });
    const lines = describePayloadChange(before, after);
    expect(lines).toEqual(["    + https://***@b.io (added)", "    - https://***@a.io (removed)"]);
    expect(lines.join("\n")).not.toContain("CANARY");
  });
});
