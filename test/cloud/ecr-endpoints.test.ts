// Registry hosts in every partition, FIPS and dual-stack, mapped to the ECR API endpoint the real SDK
// (@aws-sdk/client-ecr's endpoint rules) signs and sends GetAuthorizationToken to: host → ecrRegistryTarget →
// ecrApiSettings (what mint.ts gives ECRClient) → the client's endpointProvider. No request is sent.
import { ECRClient } from "@aws-sdk/client-ecr";
import { describe, expect, it } from "vitest";
import { ecrApiSettings, ecrRegistryTarget } from "../../src/cloud/ecr/registry-target.js";

process.env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true";

describe("the ECR API endpoint for a registry host", () => {
  it.each([
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com", "https://api.ecr.eu-west-1.amazonaws.com/"],
    [
      "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com",
      "https://api.ecr-fips.us-gov-west-1.amazonaws.com/",
    ],
    ["123456789012.dkr.ecr-fips.us-east-1.amazonaws.com", "https://api.ecr-fips.us-east-1.amazonaws.com/"],
    ["123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "https://api.ecr.cn-north-1.amazonaws.com.cn/"],
    ["123456789012.dkr-ecr.eu-west-1.on.aws", "https://ecr.eu-west-1.api.aws/"],
    ["123456789012.dkr-ecr-fips.us-east-1.on.aws", "https://ecr-fips.us-east-1.api.aws/"],
    [
      "123456789012.dkr-ecr.cn-north-1.on.amazonwebservices.com.cn",
      "https://ecr.cn-north-1.api.amazonwebservices.com.cn/",
    ],
    ["123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "https://api.ecr.us-iso-east-1.c2s.ic.gov/"],
    ["123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov", "https://api.ecr.us-isob-east-1.sc2s.sgov.gov/"],
    ["123456789012.dkr.ecr.eu-isoe-west-1.cloud.adc-e.uk", "https://api.ecr.eu-isoe-west-1.cloud.adc-e.uk/"],
    [
      "123456789012.dkr.ecr.us-isof-south-1.csp.hci.ic.gov",
      "https://api.ecr.us-isof-south-1.csp.hci.ic.gov/",
    ],
    ["123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", "https://api.ecr.eusc-de-east-1.amazonaws.eu/"],
  ])("%s → %s", (host, endpoint) => {
    const settings = ecrApiSettings(ecrRegistryTarget(host));
    const client = new ECRClient(settings);
    try {
      const resolved = client.config.endpointProvider({
        Region: settings.region,
        UseFIPS: settings.useFipsEndpoint,
        UseDualStack: settings.useDualstackEndpoint,
      });
      expect(resolved.url.href).toBe(endpoint);
    } finally {
      client.destroy();
    }
  });
});
