// Expected forms were printed by the real kubectl 1.32 (sigs.k8s.io/yaml → go-yaml v2) for Secret names.
import { describe, expect, it } from "vitest";
import { goYamlString } from "./go-yaml-scalar.js";

describe("goYamlString", () => {
  it.each([
    ["a.b", "a.b"],
    ["regcred", "regcred"],
    [".dockerconfigjson", ".dockerconfigjson"],
    ["eyJhdXRocyI6e319Cg==", "eyJhdXRocyI6e319Cg=="],
    ["kubernetes.io/dockerconfigjson", "kubernetes.io/dockerconfigjson"],
    // Strings that YAML 1.1 would read as another type are double-quoted (checked against kubectl).
    ["y", '"y"'],
    ["on", '"on"'],
    ["2001-12-14", '"2001-12-14"'],
    ["123", '"123"'],
    ["1e3", '"1e3"'],
    ["0x1f", '"0x1f"'],
    ["null", '"null"'],
    ["true", '"true"'],
    ["", '""'],
    ["1.5", '"1.5"'],
    ["0o17", '"0o17"'],
    ["1-2", "1-2"],
    ["1.2.3", "1.2.3"],
    ["a-1", "a-1"],
  ])("%j → %s", (input, expected) => {
    expect(goYamlString(input)).toBe(expected);
  });

  it("single-quotes strings the emitter cannot write plain", () => {
    expect(goYamlString("a: b")).toBe("'a: b'");
    expect(goYamlString("#x")).toBe("'#x'");
    expect(goYamlString("it's: x")).toBe("'it''s: x'");
  });
});
