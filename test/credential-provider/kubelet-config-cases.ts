// CredentialProviderConfig cases, each checked twice: by `checkKubeletConfig` (src/credential-provider, unit test)
// and by kubelet's own code (the credprovider-harness built from k8s.io/kubernetes v1.37.2
// pkg/credentialprovider/plugin, integration test), which must agree on accept/refuse. Most mirror a case of
// kubelet's config_test.go (named in `kubelet`); the rest are the traps kubelet accepts silently.

export interface ConfigCase {
  readonly name: string;
  /** The config_test.go case this follows, when there is one. */
  readonly kubelet?: string;
  readonly yaml: string;
  /** Whether kubelet starts with it. */
  readonly accepted: boolean;
  /** Each must match some error finding (accepted: none). */
  readonly errors?: readonly RegExp[];
  /** Each must match some warning. */
  readonly warnings?: readonly RegExp[];
}

function config(providers: string, apiVersion = "kubelet.config.k8s.io/v1"): string {
  return `apiVersion: ${apiVersion}\nkind: CredentialProviderConfig\nproviders:\n${providers}`;
}

function provider(lines: Record<string, string>, name = "pullwarden-credential-provider"): string {
  const fields = {
    matchImages: '["registry.io/foobar"]',
    defaultCacheDuration: "10m",
    apiVersion: "credentialprovider.kubelet.k8s.io/v1",
    ...lines,
  };
  return [
    `  - name: ${name}`,
    ...Object.entries(fields)
      .filter(([, value]) => value !== "")
      .map(([key, value]) => `    ${key}: ${value}`),
    "",
  ].join("\n");
}

const TOKEN_ATTRIBUTES = (extra = "") =>
  `\n      serviceAccountTokenAudience: pullwarden.io/registry\n      requireServiceAccount: true${extra}`;

export const CONFIG_CASES: readonly ConfigCase[] = [
  { name: "valid config", kubelet: "valid config", yaml: config(provider({})), accepted: true },
  {
    name: "JSON config",
    kubelet: "config with 1 plugin and 1 image matcher (JSON!)",
    yaml: JSON.stringify({
      apiVersion: "kubelet.config.k8s.io/v1",
      kind: "CredentialProviderConfig",
      providers: [
        {
          name: "p",
          matchImages: ["ghcr.io"],
          defaultCacheDuration: "1m",
          apiVersion: "credentialprovider.kubelet.k8s.io/v1",
        },
      ],
    }),
    accepted: true,
  },
  {
    name: "v1beta1 config with a v1beta1 provider",
    kubelet: "v1beta1 config with multiple providers",
    yaml: config(
      provider({ apiVersion: "credentialprovider.kubelet.k8s.io/v1beta1" }),
      "kubelet.config.k8s.io/v1beta1",
    ),
    accepted: true,
  },
  {
    name: "wrong kind",
    kubelet: "config with wrong Kind",
    yaml: config(provider({})).replace("kind: CredentialProviderConfig", "kind: WrongKind"),
    accepted: false,
    errors: [/kind: "WrongKind" is not CredentialProviderConfig/],
  },
  {
    name: "wrong apiVersion",
    kubelet: "config with wrong apiversion",
    yaml: config(provider({}), "foobar/v1alpha1"),
    accepted: false,
    errors: [/apiVersion: "foobar\/v1alpha1" is not one of/],
  },
  {
    name: "unknown field",
    kubelet: "config with invalid typo",
    yaml: config(provider({ unknownField: "should not be here" })),
    accepted: false,
    errors: [/providers\[0\]: unknown field "unknownField"/],
  },
  {
    name: "a field in the wrong case",
    yaml: config(provider({ MatchImages: '["ghcr.io"]', matchImages: "" })),
    accepted: false,
    errors: [/unknown field "MatchImages"/],
  },
  {
    name: "tokenAttributes in a v1beta1 config",
    kubelet: "v1beta1 config with token attributes should fail",
    yaml: config(
      provider({ tokenAttributes: TOKEN_ATTRIBUTES("\n      cacheType: Token") }),
      "kubelet.config.k8s.io/v1beta1",
    ),
    accepted: false,
    errors: [/unknown field "tokenAttributes"/],
  },
  {
    name: "defaultCacheDuration as a bare number",
    yaml: config(provider({ defaultCacheDuration: "0" })),
    accepted: false,
    errors: [/defaultCacheDuration: must be a duration string/],
  },
  {
    name: "no providers",
    kubelet: "no providers provided",
    yaml: config("  []\n").replace("providers:\n  []", "providers: []"),
    accepted: false,
    errors: [/at least 1 item/],
  },
  {
    name: "no matchImages",
    kubelet: "no matchImages provided",
    yaml: config(provider({ matchImages: "[]" })),
    accepted: false,
    errors: [/at least 1 item in matchImages/],
  },
  {
    name: "no defaultCacheDuration",
    kubelet: "no default cache duration provided",
    yaml: config(provider({ defaultCacheDuration: "" })),
    accepted: false,
    errors: [/defaultCacheDuration: required/],
  },
  {
    name: "name with '/'",
    kubelet: "name contains '/'",
    yaml: config(provider({}, "foo/bar")),
    accepted: false,
    errors: [/cannot contain '\/'/],
  },
  {
    name: "name '..'",
    kubelet: "name is '..'",
    yaml: config(provider({}, '".."')),
    accepted: false,
    errors: [/cannot be '..'/],
  },
  {
    name: "name with spaces",
    kubelet: "name contains spaces",
    yaml: config(provider({}, '"foo bar"')),
    accepted: false,
    errors: [/cannot contain spaces/],
  },
  {
    name: "duplicate names",
    kubelet: "duplicate names",
    yaml: config(provider({}, "foobar") + provider({}, "foobar")),
    accepted: false,
    errors: [/duplicate provider name "foobar"/],
  },
  {
    name: "invalid apiVersion",
    kubelet: "invalid apiVersion",
    yaml: config(provider({ apiVersion: "credentialprovider.kubelet.k8s.io/v1alpha2" })),
    accepted: false,
    errors: [/is not supported/],
  },
  {
    name: "negative defaultCacheDuration",
    kubelet: "negative default cache duration",
    yaml: config(provider({ defaultCacheDuration: "-1m" })),
    accepted: false,
    errors: [/greater than or equal to 0/],
  },
  {
    name: "invalid match image",
    kubelet: "invalid match image",
    yaml: config(provider({ matchImages: '["%invalid%"]' })),
    accepted: false,
    errors: [/match image is invalid/],
  },
  {
    name: "tokenAttributes without cacheType",
    kubelet: "token attributes not nil but empty CacheType",
    yaml: config(provider({ tokenAttributes: TOKEN_ATTRIBUTES() })),
    accepted: false,
    errors: [/cacheType is required.*1\.34 and later refuse to start/],
  },
  {
    name: "tokenAttributes with an unknown cacheType",
    kubelet: "token attributes not nil, invalid CacheType",
    yaml: config(provider({ tokenAttributes: TOKEN_ATTRIBUTES("\n      cacheType: Pod") })),
    accepted: false,
    errors: [/"Pod" is not supported: ServiceAccount, Token/],
  },
  {
    name: "tokenAttributes without requireServiceAccount",
    kubelet: "token attributes not nil but empty ServiceAccountTokenRequired",
    yaml: config(
      provider({ tokenAttributes: "\n      serviceAccountTokenAudience: a\n      cacheType: Token" }),
    ),
    accepted: false,
    errors: [/requireServiceAccount: required/],
  },
  {
    name: "an annotation key that is not a qualified name",
    kubelet:
      "required service account annotation keys not qualified name (same validation as metav1.ObjectMeta)",
    yaml: config(
      provider({
        tokenAttributes: TOKEN_ATTRIBUTES(
          "\n      cacheType: Token\n      requiredServiceAccountAnnotationKeys: [cantendwithadash-]",
        ),
      }),
    ),
    accepted: false,
    errors: [/"cantendwithadash-": the name part must consist/],
  },
  {
    name: "a key both required and optional",
    kubelet: "annotation key in required and optional keys",
    yaml: config(
      provider({
        tokenAttributes: TOKEN_ATTRIBUTES(
          "\n      cacheType: Token\n      requiredServiceAccountAnnotationKeys: [a.io/k]\n      optionalServiceAccountAnnotationKeys: [a.io/k]",
        ),
      }),
    ),
    accepted: false,
    errors: [/both required and optional/],
  },
  {
    name: "required annotations with requireServiceAccount false",
    kubelet: "required annotation keys set when requireServiceAccount is false",
    yaml: config(
      provider({
        tokenAttributes:
          "\n      serviceAccountTokenAudience: a\n      requireServiceAccount: false\n      cacheType: Token\n      requiredServiceAccountAnnotationKeys: [a.io/k]",
      }),
    ),
    accepted: false,
    errors: [/requireServiceAccount cannot be false/],
  },
  {
    name: "tokenAttributes with a v1beta1 provider",
    kubelet: "tokenAttributes set with credentialprovider.kubelet.k8s.io/v1beta1 APIVersion",
    yaml: config(
      provider({
        apiVersion: "credentialprovider.kubelet.k8s.io/v1beta1",
        tokenAttributes: TOKEN_ATTRIBUTES("\n      cacheType: Token"),
      }),
    ),
    accepted: false,
    errors: [/only supported for credentialprovider.kubelet.k8s.io\/v1 API version/],
  },
  {
    name: "SA-token mode for ECR and ACR with every annotation passed",
    kubelet: "valid config with KubeletServiceAccountTokenForCredentialProviders feature gate enabled",
    yaml: config(
      provider({
        matchImages:
          '["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr-fips.*.amazonaws.com", "*.dkr-ecr.*.on.aws", "*.dkr-ecr-fips.*.on.aws", "*.azurecr.io"]',
        tokenAttributes: TOKEN_ATTRIBUTES(
          "\n      cacheType: ServiceAccount\n      optionalServiceAccountAnnotationKeys: [eks.amazonaws.com/ecr-role-arn, kubernetes.azure.com/acr-client-id, kubernetes.azure.com/acr-tenant-id]",
        ),
      }),
    ),
    accepted: true,
  },
  // Traps: kubelet starts, and Pods get no credentials.
  {
    name: "a glob in the path",
    yaml: config(provider({ matchImages: '["registry.io/*", "*.registry.io/*"]' })),
    accepted: true,
    warnings: [/the path is compared as a literal prefix, not a glob/],
  },
  {
    name: "a single-label glob",
    yaml: config(provider({ matchImages: '["*.io"]' })),
    accepted: true,
    warnings: [/"\*\.io" matches every 2-label host under \.io/],
  },
  {
    name: "the standard ECR patterns only",
    yaml: config(provider({ matchImages: '["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com.cn"]' })),
    accepted: true,
    warnings: [
      /FIPS hosts .* are not matched.*\n?/,
      /dual-stack hosts/,
      /"\*\.dkr\.ecr-fips\.\*\.amazonaws\.com"|ecr-fips/,
    ],
  },
  {
    name: "SA-token mode with a required annotation, ECR without the role annotation, ACR without its annotations",
    yaml: config(
      provider({
        matchImages:
          '["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr-fips.*.amazonaws.com", "*.dkr-ecr.*.on.aws", "*.dkr-ecr-fips.*.on.aws", "*.azurecr.io"]',
        tokenAttributes: TOKEN_ATTRIBUTES(
          "\n      cacheType: Token\n      requiredServiceAccountAnnotationKeys: [pullwarden.io/identity]",
        ),
      }),
    ),
    accepted: true,
    warnings: [
      /Pods whose ServiceAccount lacks pullwarden.io\/identity get no credentials/,
      /eks.amazonaws.com\/ecr-role-arn is not in the annotation keys/,
      /kubernetes.azure.com\/acr-client-id and kubernetes.azure.com\/acr-tenant-id are not in the annotation keys/,
    ],
  },
];
