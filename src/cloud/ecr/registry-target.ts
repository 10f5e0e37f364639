/**
 * Which ECR registry a server names, and so where its token is minted: the region, partition and account come
 * from the host (`<account>.dkr.ecr[-fips].<region>.<suffix>` in every partition, FIPS and dual-stack; src/hosts/).
 * A host that is not ECR's own (a mirror or proxy in front of ECR) needs the region from its source, and the
 * account when the token is for another account's registry. ECR Public (`public.ecr.aws`) mints with another API
 * (`ecr-public:GetAuthorizationToken`, client-ecr-public) that this version does not carry: refused, with why.
 */
import { InputError } from "../../errors.js";
import { classifyRegistryHost } from "../../hosts/index.js";
import type { AwsPartition } from "../../hosts/index.js";

export interface EcrRegistryTarget {
  /** The server as given: the key the credential is written under. */
  readonly server: string;
  /** The region whose ECR API mints the token. */
  readonly region: string;
  /** The 12-digit account of the registry (`registryIds`); undefined: the caller's own account. */
  readonly accountId: string | undefined;
  /** The host's partition, when the host is ECR's own (the SDK derives the endpoint from the region). */
  readonly partition: AwsPartition | undefined;
  /** Use the FIPS endpoint of the ECR API (the registry host is a FIPS one). */
  readonly fips: boolean;
  /** Use the dual-stack endpoint of the ECR API (the registry host is a dual-stack one). */
  readonly dualStack: boolean;
}

/** What a caller may say beyond the server: needed only for a host that is not ECR's own. */
export interface EcrTargetHints {
  /** The region (a layout's `region`); must agree with an ECR host's own. */
  readonly region?: string | undefined;
  /** The registry's account, when the host does not say it. */
  readonly registryId?: string | undefined;
}

const REGION = /^[a-z]{2,4}(?:-[a-z0-9]+){2,4}$/;
const ACCOUNT = /^\d{12}$/;

function refused(message: string, hint: string): InputError {
  return new InputError("E_ECR_HOST", message, { hint });
}

/** The ECR registry `server` names (with `hints` for a host that is not ECR's own); InputError when unusable. */
export function ecrRegistryTarget(server: string, hints: EcrTargetHints = {}): EcrRegistryTarget {
  const host = classifyRegistryHost(server);
  if (hints.registryId !== undefined && !ACCOUNT.test(hints.registryId)) {
    throw refused(
      `ECR registry id ${JSON.stringify(hints.registryId)} for ${server} is not a 12-digit AWS account id`,
      "give the account that owns the registry, e.g. 123456789012",
    );
  }
  if (host.kind === "ecr-public") {
    throw new InputError(
      "E_ECR_PUBLIC_UNSUPPORTED",
      `${host.host} is ECR Public: its tokens come from ecr-public:GetAuthorizationToken, which this version of pullwarden does not mint`,
      {
        hint: "public images pull without credentials; for ECR Public's higher rate limits, use aws ecr-public get-login-password --region us-east-1 with a password-stdin source",
      },
    );
  }
  if (host.kind === "ecr") {
    if (hints.region !== undefined && hints.region !== host.region) {
      throw refused(
        `${host.host} is an ECR registry in ${host.region}, but its source says region ${hints.region}`,
        `set the region to ${host.region} (an ECR token works only for the registry of its own region)`,
      );
    }
    if (hints.registryId !== undefined && hints.registryId !== host.accountId) {
      throw refused(
        `${host.host} is the registry of account ${host.accountId}, but its source says registry id ${hints.registryId}`,
        `drop the registry id, or set it to ${host.accountId}`,
      );
    }
    return {
      server,
      region: host.region,
      accountId: host.accountId,
      partition: host.partition,
      fips: host.fips,
      dualStack: host.dualStack,
    };
  }
  if (hints.region === undefined || !REGION.test(hints.region)) {
    throw refused(
      hints.region === undefined
        ? `${server} is not an ECR host (<account>.dkr.ecr.<region>.amazonaws.com), and its source names no region`
        : `${server} is not an ECR host, and its region ${JSON.stringify(hints.region)} is not an AWS region`,
      "give the region of the ECR registry behind it (e.g. eu-west-1), and its account if it is not yours",
    );
  }
  return {
    server,
    region: hints.region,
    accountId: hints.registryId,
    partition: undefined,
    fips: false,
    dualStack: false,
  };
}

/**
 * The ECR API client settings for a target: the SDK derives the endpoint (partition DNS suffix, FIPS,
 * dual-stack) from these through its endpoint rules, e.g. `ecr-fips.us-gov-west-1.amazonaws.com`,
 * `ecr.cn-north-1.amazonaws.com.cn`, `ecr.eu-west-1.api.aws`.
 */
export function ecrApiSettings(target: EcrRegistryTarget): {
  region: string;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
} {
  return { region: target.region, useFipsEndpoint: target.fips, useDualstackEndpoint: target.dualStack };
}
