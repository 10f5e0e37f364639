import { describe, expect, it } from "vitest";
import { parseNormalizedReference } from "../../../reference/index.js";
import { fromCloudHint } from "./from-cloud-hint.js";
import type { ImageReport } from "./render.js";

function report(text: string, outcome: string): ImageReport {
  return {
    image: { input: { text }, reference: parseNormalizedReference(text), canonical: text },
    result: { outcome } as ImageReport["result"],
    selected: 1,
    attempts: [],
  };
}

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2";

describe("fromCloudHint", () => {
  it.each<[string, ImageReport[], boolean, string | undefined]>([
    [
      "an anonymous ECR check that failed",
      [report("ghcr.io/a/b:1", "unauthorized"), report(ECR, "unauthorized")],
      true,
      `to check with your AWS or Azure identity: pullwarden check ${ECR} --from-cloud`,
    ],
    [
      "an anonymous ACR check that failed",
      [report("contoso.azurecr.io/web:1", "unauthorized")],
      true,
      "to check with your AWS or Azure identity: pullwarden check contoso.azurecr.io/web:1 --from-cloud",
    ],
    ["an ECR image that pulled anonymously", [report(ECR, "ok")], true, undefined],
    ["a credential was given", [report(ECR, "unauthorized")], false, undefined],
    ["no cloud registry", [report("ghcr.io/a/b:1", "unauthorized")], true, undefined],
    ["ECR Public is anonymous anyway", [report("public.ecr.aws/a/b:1", "not-found")], true, undefined],
  ])("%s", (_name, reports, anonymous, expected) => {
    expect(fromCloudHint(reports, anonymous)).toBe(expected);
  });
});
