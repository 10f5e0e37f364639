/**
 * Offline judgement: would this registry accept this credential for a pull? Only what can be known
 * without a network call is judged; anything that depends on scopes, permissions or revocation is
 * "unknown" at best, and a live manifest HEAD remains the real test (docker login alone can succeed
 * with credentials that cannot pull, as GitHub App tokens on ghcr.io show).
 *
 * Texts name token types, registry hosts, regions and dates only: never the secret, never the username.
 */
import type { AcrHostInfo, EcrHostInfo, RegistryHostInfo } from "../hosts/index.js";
import { ACR_REFRESH_TOKEN_USERNAME, ECR_USERNAME } from "./classify.js";
import type { AssessPullCredentialInput, PullAcceptance, TokenInfo } from "./types.js";

/** Clock-skew leeway for exp/nbf, matching the 60 s registries commonly allow. */
export const EXPIRY_LEEWAY_MS = 60_000;

type Verdict = PullAcceptance["verdict"];

interface Judgement {
  verdict: Verdict;
  reason: string;
  fix: string;
}

const GHCR_FIX =
  "Use a classic personal access token of a dedicated machine user with only the read:packages scope and an expiry date, and rotate it before it expires. Switching to a GitHub App does not help: ghcr.io does not accept GitHub App installation tokens for pulls.";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AWS_ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

function judge(verdict: Verdict, reason: string, fix: string): Judgement {
  return { verdict, reason, fix };
}

/** Human duration such as "3 h 12 min", "45 s" or "2 d 4 h". */
function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${seconds} s`;
}

function iso(date: Date): string {
  return Number.isNaN(date.getTime()) ? "an unreadable date" : date.toISOString();
}

/** Which registry issues a token kind, for "belongs elsewhere" messages; undefined for generic kinds. */
function issuerOf(token: TokenInfo): string | undefined {
  switch (token.kind) {
    case "github-classic-pat":
    case "github-fine-grained-pat":
    case "github-installation-or-actions":
    case "github-oauth":
    case "github-user-to-server":
    case "github-refresh":
      return "GitHub";
    case "dockerhub-pat":
      return "Docker Hub";
    case "gitlab-pat":
      return "GitLab";
    case "ecr-token":
      return "Amazon ECR";
    case "acr-refresh-token":
      return "Azure Container Registry";
    default:
      return token.variant === "entra-id-token" ? "Microsoft Entra ID" : undefined;
  }
}

function foreign(token: TokenInfo, registryName: string, fix: string): Judgement {
  const issuer = issuerOf(token) ?? "another service";
  return judge(
    "rejected",
    `This is a ${token.label}, issued by ${issuer}; ${registryName} does not accept it.`,
    fix,
  );
}

function ecrFix(registry: EcrHostInfo): string {
  return `Use the username AWS with a token from \`aws ecr get-login-password --region ${registry.region}\` (valid 12 hours) and refresh it automatically, or avoid the Secret entirely: kubelet's ecr-credential-provider with node or per-ServiceAccount IAM (AmazonEC2ContainerRegistryPullOnly).`;
}

const ECR_PUBLIC_FIX =
  "Remove the credential to pull anonymously, or use the username AWS with a token from `aws ecr-public get-login-password --region us-east-1` (valid 12 hours) for higher rate limits.";

function acrFix(registry: AcrHostInfo): string {
  return `Prefer identity over a Secret: grant AcrPull on ${registry.registryName} to the kubelet or workload identity (az aks update --attach-acr ${registry.registryName}) and use acr-credential-provider. For a Secret, use a repository-scoped token with content/read and an expiry date.`;
}

const DOCKERHUB_FIX =
  "Use your Docker ID as the username and a Docker Hub personal access token (dckr_pat_…) created with the read-only access scope.";

const GCR_FIX =
  "Prefer Workload Identity or the node service account through a kubelet credential provider. For a Secret, use the username oauth2accesstoken with a short-lived access token (refreshed automatically), or _json_key with a service-account key that has only Artifact Registry Reader.";

const GENERIC_FIX = "Use a credential issued by this registry that grants pull access only, and rotate it.";

function assessGhcr(token: TokenInfo, insideActions: boolean): Judgement {
  switch (token.kind) {
    case "github-classic-pat":
      return judge(
        "accepted",
        "ghcr.io accepts classic personal access tokens. Pulls need the read:packages scope (and SSO authorization for organizations that enforce SAML SSO), which cannot be checked offline.",
        "Confirm the scopes: GET https://api.github.com/user with the token lists them in the X-OAuth-Scopes response header. Keep only read:packages, and give the token an expiry date you rotate ahead of.",
      );
    case "github-fine-grained-pat":
      return judge(
        "rejected",
        "GitHub Packages, and so ghcr.io, supports only classic personal access tokens; fine-grained personal access tokens are not accepted (github/roadmap#558 is still open).",
        GHCR_FIX,
      );
    case "github-installation-or-actions":
      if (insideActions) {
        return judge(
          "unknown",
          "Inside the Actions job that minted it, a GITHUB_TOKEN can pull when the repository has access to the package; a GitHub App installation token cannot, and the ghs_ prefix does not tell the two apart.",
          `In workflows, give the job \`permissions: packages: read\` and grant the repository access in the package settings. For clusters outside Actions: ${GHCR_FIX}`,
        );
      }
      return judge(
        "rejected",
        "ghs_ tokens are GitHub App installation tokens or an Actions GITHUB_TOKEN. ghcr.io does not accept App installation tokens for pulls (docker login may succeed, the pull is then denied), and a GITHUB_TOKEN works only inside the Actions run that minted it and expires when its job ends. A cluster pull secret is outside any Actions run.",
        GHCR_FIX,
      );
    case "github-oauth":
    case "github-user-to-server":
      return judge(
        "unknown",
        `GitHub does not document whether ghcr.io accepts a ${token.label} for pulls; such tokens belong to an app's authorization by a user and may expire or be revoked with it.`,
        GHCR_FIX,
      );
    case "github-refresh":
      return judge(
        "rejected",
        "A GitHub refresh token (ghr_) only obtains new user access tokens from GitHub; no registry accepts it as a password.",
        GHCR_FIX,
      );
    case "password":
      if (token.variant === "legacy-github-token-shape") {
        return judge(
          "unknown",
          "The value has the pre-2021 GitHub token format (40 hex characters, no prefix). An old classic PAT with read:packages still works; its type and scopes cannot be told offline.",
          GHCR_FIX,
        );
      }
      return judge(
        "rejected",
        "ghcr.io takes a GitHub token, not an account password, and this value has no GitHub token prefix.",
        GHCR_FIX,
      );
    case "jwt":
      return judge("rejected", `ghcr.io does not accept a ${token.label} as a password.`, GHCR_FIX);
    default:
      return foreign(token, "ghcr.io", GHCR_FIX);
  }
}

function assessEcrToken(token: TokenInfo, username: string, fix: string): Judgement | undefined {
  if (token.variant === "ecr-authorization-token") {
    return judge(
      "rejected",
      "The password is the whole ECR authorizationToken (base64 of AWS:password); ECR checks only the password part, so this login fails.",
      "Put the authorizationToken unchanged into the docker-config auth field, or base64-decode it and use the part after AWS: as the password with the username AWS.",
    );
  }
  if (username !== ECR_USERNAME) {
    if (username.toLowerCase() === ECR_USERNAME.toLowerCase()) {
      return judge(
        "unknown",
        "ECR documents the username as AWS in capitals; this one differs in case.",
        fix,
      );
    }
    return judge(
      "rejected",
      "ECR tokens are accepted only with the username AWS; the username given differs.",
      fix,
    );
  }
  return undefined;
}

function assessEcr(registry: EcrHostInfo, username: string, token: TokenInfo): Judgement {
  const fix = ecrFix(registry);
  if (token.kind === "ecr-token") {
    const early = assessEcrToken(token, username, fix);
    if (early) return early;
    if (token.expiresAt === undefined) {
      return judge(
        "unknown",
        "Username AWS with an ECR token whose expiry cannot be read; ECR tokens are valid for 12 hours after they are requested, and only for principals allowed to pull the repository.",
        fix,
      );
    }
    return judge(
      "accepted",
      "Username AWS with an ECR authorization token, accepted if the IAM principal that requested it may pull the repository. ECR tokens live 12 hours: a token stored in a Secret must be rotated, or pulls fail once it expires.",
      fix,
    );
  }
  if (token.kind === "password" && username === ECR_USERNAME) {
    return judge(
      "unknown",
      "Username AWS, but the password is not in the known ECR token format (which is undocumented); it may still be a valid token.",
      fix,
    );
  }
  if (AWS_ACCESS_KEY_ID.test(username)) {
    return judge(
      "rejected",
      "The username looks like an AWS access key id. ECR does not accept IAM access keys as registry credentials, and kubelet and containerd cannot exchange them for a token.",
      fix,
    );
  }
  if (token.kind === "password" || token.kind === "jwt") {
    return judge(
      "rejected",
      "ECR accepts only the username AWS with a token from GetAuthorizationToken.",
      fix,
    );
  }
  return foreign(token, "Amazon ECR", fix);
}

function assessEcrPublic(username: string, token: TokenInfo): Judgement {
  if (token.kind === "ecr-token") {
    const early = assessEcrToken(token, username, ECR_PUBLIC_FIX);
    if (early) return early;
    return judge(
      "unknown",
      "Username AWS with an ECR token. ECR Public needs a token from ecr-public:GetAuthorizationToken (private ECR tokens do not work there), and the two look alike offline.",
      ECR_PUBLIC_FIX,
    );
  }
  return judge(
    "rejected",
    `ECR Public accepts only the username AWS with an ECR Public token; a ${token.label} will not authenticate there, and pulls would work anonymously without it.`,
    ECR_PUBLIC_FIX,
  );
}

function audienceMatches(audience: string, registry: AcrHostInfo): boolean {
  return audience
    .split(",")
    .map((a) => a.trim().toLowerCase())
    .some((a) => a === registry.hostname || a === registry.host);
}

function assessAcr(registry: AcrHostInfo, username: string, token: TokenInfo): Judgement {
  const fix = acrFix(registry);
  const nullGuid = username.toLowerCase() === ACR_REFRESH_TOKEN_USERNAME;
  if (nullGuid) {
    if (token.kind === "acr-refresh-token") {
      if (token.variant === "acr-access-token") {
        return judge(
          "unknown",
          "The null-GUID username expects an ACR refresh token, but this is an ACR access token (it carries repository access claims). ACR is not documented to accept it in place of a refresh token.",
          `Use the refresh token from https://${registry.hostname}/oauth2/exchange instead. ${fix}`,
        );
      }
      if (token.audience !== undefined && !audienceMatches(token.audience, registry)) {
        return judge(
          "rejected",
          `The refresh token was issued for ${token.audience}, not for ${registry.hostname} (aud claim).`,
          `Mint a refresh token for ${registry.hostname}: az acr login --name ${registry.registryName} --expose-token. ${fix}`,
        );
      }
      return judge(
        "accepted",
        "Null-GUID username with an ACR refresh token, accepted if the identity behind it holds AcrPull (or repository permissions) on the registry. ACR refresh tokens are short-lived (about 3 hours), so a Secret holding one goes stale quickly.",
        `Let acr-credential-provider mint refresh tokens on the node instead of storing one. ${fix}`,
      );
    }
    if (token.variant === "entra-id-token") {
      return judge(
        "rejected",
        "The null-GUID username expects an ACR refresh token; an Entra ID access token must first be exchanged for one.",
        `Exchange it: POST https://${registry.hostname}/oauth2/exchange with grant_type=access_token, service=${registry.hostname} and the tenant id, or let acr-credential-provider do it.`,
      );
    }
    return judge(
      "rejected",
      `The null-GUID username tells ACR that the password is an ACR refresh token (a JWT), but this is a ${token.label}.`,
      fix,
    );
  }
  switch (token.kind) {
    case "acr-refresh-token":
      return judge(
        "rejected",
        `ACR refresh tokens are accepted only with the username ${ACR_REFRESH_TOKEN_USERNAME}; the username given differs.`,
        `Set the username to ${ACR_REFRESH_TOKEN_USERNAME}. ${fix}`,
      );
    case "empty":
    case "password":
    case "jwt":
      break;
    default:
      return foreign(token, "Azure Container Registry", fix);
  }
  if (token.variant === "entra-id-token") {
    return judge(
      "rejected",
      "ACR does not take an Entra ID access token as a password; it must be exchanged for an ACR refresh token and used with the null-GUID username.",
      fix,
    );
  }
  if (username === "") {
    return judge(
      "rejected",
      "ACR needs a username: the registry name (admin user), a token name, a service principal's client id, or the null GUID for refresh tokens.",
      fix,
    );
  }
  if (username.toLowerCase() === registry.registryName) {
    return judge(
      "unknown",
      "The username is the registry name: this looks like the ACR admin user. It works only while the admin user is enabled, and it can push and delete, not just pull.",
      `Disable the admin user (az acr update --name ${registry.registryName} --admin-enabled false). ${fix}`,
    );
  }
  if (GUID.test(username)) {
    return judge(
      "unknown",
      "The username is a GUID: most likely a service principal (client id and secret). It works if the service principal holds AcrPull on the registry and its secret has not expired; neither is visible offline.",
      fix,
    );
  }
  return judge(
    "unknown",
    "Most likely a repository-scoped token (token name and password). It works if the token is enabled, its scope map grants content/read on the repository, and its password has not expired.",
    fix,
  );
}

function assessDockerHub(registry: RegistryHostInfo, username: string, token: TokenInfo): Judgement {
  let judgement: Judgement;
  switch (token.kind) {
    case "dockerhub-pat":
      judgement =
        username === ""
          ? judge(
              "rejected",
              "A Docker Hub access token needs the owning Docker ID as the username.",
              DOCKERHUB_FIX,
            )
          : judge(
              "accepted",
              "Docker Hub accepts personal access tokens with the owning Docker ID as the username; the token's access scope (read-only is enough) and the username cannot be checked offline.",
              "Make sure the token has only the read-only scope and that the username is its owner's Docker ID.",
            );
      break;
    case "password":
    case "jwt":
      judgement = judge(
        "unknown",
        "An account password works only while the account does not enforce two-factor authentication or SSO, and it grants full account access.",
        DOCKERHUB_FIX,
      );
      break;
    default:
      judgement = foreign(token, "Docker Hub", DOCKERHUB_FIX);
  }
  if (registry.kind === "dockerhub" && registry.kubeletMatch === "never") {
    judgement.reason +=
      " Note: kubelet never matches a credential keyed registry-1.docker.io (images are looked up as docker.io/…); key it docker.io or https://index.docker.io/v1/.";
  }
  return judgement;
}

function assessGcr(username: string, token: TokenInfo): Judgement {
  if (issuerOf(token) !== undefined)
    return foreign(token, "Google Artifact Registry / Container Registry", GCR_FIX);
  if (username === "oauth2accesstoken") {
    return judge(
      "unknown",
      "Username oauth2accesstoken with a Google OAuth access token: accepted while the token is valid (about 1 hour) and its account may read the repository, so a Secret holding one goes stale quickly.",
      GCR_FIX,
    );
  }
  if (username === "_json_key" || username === "_json_key_base64") {
    return judge(
      "unknown",
      "A service-account key: accepted if the account has Artifact Registry Reader (or Storage Object Viewer for gcr.io). Keys are long-lived secrets and a leak is valid until the key is deleted.",
      GCR_FIX,
    );
  }
  return judge(
    "unknown",
    "Google registries expect the username oauth2accesstoken (access token) or _json_key / _json_key_base64 (service-account key); this username is neither.",
    GCR_FIX,
  );
}

function assessGeneric(token: TokenInfo): Judgement {
  switch (token.kind) {
    case "github-refresh":
      return judge(
        "rejected",
        "A GitHub refresh token (ghr_) only obtains new user access tokens from GitHub; no registry accepts it as a password.",
        GENERIC_FIX,
      );
    case "password":
    case "jwt":
      return judge(
        "unknown",
        "No registry-specific rules apply to this host; whether the credential works can only be checked against the registry.",
        GENERIC_FIX,
      );
    case "gitlab-pat":
      return judge(
        "unknown",
        "GitLab container registries accept personal access tokens with the read_registry scope; other registries do not. The scope cannot be checked offline.",
        "For GitLab, use a deploy token or personal access token limited to read_registry. Otherwise: " +
          GENERIC_FIX,
      );
    default:
      return judge(
        "unknown",
        `This is a ${token.label}, issued by ${issuerOf(token) ?? "another service"}; it is normally accepted only there (or by a proxy in front of it), not by an unrelated registry.`,
        GENERIC_FIX,
      );
  }
}

function assessEmpty(registry: RegistryHostInfo): Judgement {
  if (registry.kind === "ecr") {
    return judge(
      "rejected",
      "No password: private ECR registries never allow anonymous pulls.",
      ecrFix(registry),
    );
  }
  if (registry.kind === "ecr-public") {
    return judge(
      "accepted",
      "No password: ECR Public allows anonymous pulls (with lower rate limits than authenticated ones).",
      ECR_PUBLIC_FIX,
    );
  }
  return judge(
    "unknown",
    "No password: the pull is anonymous, which works only for public images.",
    "If the image is private, store a pull credential for this registry.",
  );
}

function assessByRegistry(input: AssessPullCredentialInput): Judgement {
  const { registry, token } = input;
  const username = typeof input.username === "string" ? input.username.trim() : "";
  if (token.kind === "empty") return assessEmpty(registry);
  switch (registry.kind) {
    case "ghcr":
      return assessGhcr(token, input.insideGithubActionsRun === true);
    case "ecr":
      return assessEcr(registry, username, token);
    case "ecr-public":
      return assessEcrPublic(username, token);
    case "acr":
      return assessAcr(registry, username, token);
    case "dockerhub":
      return assessDockerHub(registry, username, token);
    case "gcr":
      return assessGcr(username, token);
    default:
      return assessGeneric(token);
  }
}

function expiredFix(registry: RegistryHostInfo, token: TokenInfo, fallback: string): string {
  if (token.kind === "ecr-token" && registry.kind === "ecr") {
    return `Request a new token (aws ecr get-login-password --region ${registry.region}) and update the Secret, on a schedule well inside 12 hours, or switch to kubelet's ecr-credential-provider so no Secret is needed.`;
  }
  if (token.kind === "acr-refresh-token" && registry.kind === "acr") {
    return `Mint a new refresh token (az acr login --name ${registry.registryName} --expose-token), or let acr-credential-provider keep one fresh on the node.`;
  }
  return `Obtain a fresh credential and update the Secret, and automate rotation ahead of expiry. ${fallback}`;
}

function applyTimes(judgement: Judgement, input: AssessPullCredentialInput): Judgement {
  const { token, registry } = input;
  if (judgement.verdict !== "accepted" && judgement.verdict !== "unknown") return judgement;
  const now = input.now.getTime();
  if (Number.isNaN(now)) return judgement;
  const exp = token.expiresAt?.getTime();
  if (exp !== undefined && !Number.isNaN(exp) && now > exp + EXPIRY_LEEWAY_MS) {
    return judge(
      "expired",
      `The ${token.label} expired at ${iso(new Date(exp))} (${formatDuration(now - exp)} ago); the registry rejects expired tokens.`,
      expiredFix(registry, token, judgement.fix),
    );
  }
  const nbf = token.notBefore?.getTime();
  if (nbf !== undefined && !Number.isNaN(nbf) && now < nbf - EXPIRY_LEEWAY_MS) {
    return judge(
      "not-yet-valid",
      `The ${token.label} is not valid before ${iso(new Date(nbf))} (${formatDuration(nbf - now)} from now).`,
      "Check the clocks of the machine that minted the token and of this one (NTP), or wait until the token becomes valid.",
    );
  }
  if (exp !== undefined && !Number.isNaN(exp)) {
    const remaining = exp - now;
    judgement.reason +=
      remaining > 0
        ? ` Valid until ${iso(new Date(exp))} (${formatDuration(remaining)} left).`
        : ` It expired at ${iso(new Date(exp))}, within the registry's ${EXPIRY_LEEWAY_MS / 1000} s leeway.`;
  }
  return judgement;
}

function applyShape(judgement: Judgement, token: TokenInfo): Judgement {
  if (token.variant !== "malformed" || judgement.verdict !== "accepted") return judgement;
  return judge(
    "unknown",
    `The value starts like a ${token.label} but has an unusual shape (truncated, or stray characters?). ${judgement.reason}`,
    `Copy the token again in full, without surrounding whitespace. ${judgement.fix}`,
  );
}

/**
 * Judge offline whether `registry` would accept the credential (`username` + the classified `token`)
 * for a pull at `now`. Always returns a reason and a fix; never throws; never includes the secret.
 */
export function assessPullCredential(input: AssessPullCredentialInput): PullAcceptance {
  try {
    const judgement = applyTimes(applyShape(assessByRegistry(input), input.token), input);
    return { verdict: judgement.verdict, reason: judgement.reason, fix: judgement.fix };
  } catch {
    return {
      verdict: "unknown",
      reason: "The credential could not be assessed offline.",
      fix: "Check the credential against the registry with an authenticated manifest request.",
    };
  }
}
