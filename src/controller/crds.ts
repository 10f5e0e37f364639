/**
 * The CustomResourceDefinitions of the controller's resources (apiextensions.k8s.io/v1, structural schemas),
 * written from the TypeScript types of src/desired/controller-resources.ts. The chart's `crds/` files are this
 * rendered (test/controller/crds.test.ts fails when they differ, and checks every schema field against a fully
 * populated object of the TypeScript type, both ways, so neither can drift from the other).
 *
 * Validation the API server does for us (so the controller never sees these shapes): exactly one source,
 * fractions in range, Go durations, DNS-1123 names, at least one namespace selection.
 */
import {
  BINDING_KIND,
  BINDING_PLURAL,
  CONTROLLER_API_GROUP,
  CREDENTIAL_KIND,
  CREDENTIAL_PLURAL,
} from "../desired/index.js";
import {
  DNS1123_LABEL_MAX_LENGTH,
  DNS1123_LABEL_PATTERN,
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  DNS1123_SUBDOMAIN_PATTERN,
} from "../kube-model/names.js";

/** An OpenAPI v3 schema node as a structural CRD schema allows it. */
export interface SchemaNode {
  readonly type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode;
  readonly items?: SchemaNode;
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly format?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly default?: unknown;
  readonly "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  readonly "x-kubernetes-list-map-keys"?: readonly string[];
}

/** A Go duration as `time.ParseDuration` reads it, without sign (e.g. 30m, 1h30m, 90s). */
const GO_DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";
/** `host[:port]` of a registry (no scheme, no path). */
const REGISTRY_HOST_PATTERN = "^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?$";

const str = (description: string, extra: Partial<SchemaNode> = {}): SchemaNode => ({
  type: "string",
  description,
  ...extra,
});
const dnsLabel = (description: string): SchemaNode =>
  str(description, { pattern: DNS1123_LABEL_PATTERN, maxLength: DNS1123_LABEL_MAX_LENGTH });
const dnsSubdomain = (description: string): SchemaNode =>
  str(description, { pattern: DNS1123_SUBDOMAIN_PATTERN, maxLength: DNS1123_SUBDOMAIN_MAX_LENGTH });
const time = (description: string): SchemaNode => str(description, { format: "date-time" });
const registryHost = (description: string): SchemaNode =>
  str(description, { pattern: REGISTRY_HOST_PATTERN, maxLength: 253 });

const CONDITIONS: SchemaNode = {
  type: "array",
  description: "Ready, Verified, ExpiringSoon (metav1.Condition)",
  "x-kubernetes-list-type": "map",
  "x-kubernetes-list-map-keys": ["type"],
  maxItems: 8,
  items: {
    type: "object",
    required: ["type", "status", "lastTransitionTime", "reason", "message"],
    properties: {
      type: str("condition type", { maxLength: 316 }),
      status: str("True, False or Unknown", { enum: ["True", "False", "Unknown"] }),
      observedGeneration: {
        type: "integer",
        minimum: 0,
        description: "the generation this was computed from",
      },
      lastTransitionTime: time("when status last changed"),
      reason: str("CamelCase reason", { maxLength: 1024 }),
      message: str("one line, never a secret", { maxLength: 32768 }),
    },
  },
};

const LABEL_SELECTOR: SchemaNode = {
  type: "object",
  description: "metav1.LabelSelector; new namespaces that match are included",
  properties: {
    matchLabels: { type: "object", additionalProperties: { type: "string" } },
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        required: ["key", "operator"],
        properties: {
          key: str("label key", { minLength: 1 }),
          operator: str("In, NotIn, Exists or DoesNotExist", {
            enum: ["In", "NotIn", "Exists", "DoesNotExist"],
          }),
          values: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
};

export const CREDENTIAL_SCHEMA: SchemaNode = {
  type: "object",
  required: ["spec"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["source"],
      properties: {
        source: {
          type: "object",
          description: "exactly one of static, ecr, acr",
          minProperties: 1,
          maxProperties: 1,
          properties: {
            static: {
              type: "object",
              description: "a kubernetes.io/dockerconfigjson Secret in the controller's namespace",
              required: ["secretRef"],
              properties: {
                secretRef: {
                  type: "object",
                  required: ["name"],
                  properties: { name: dnsSubdomain("the Secret's name") },
                },
              },
            },
            ecr: {
              type: "object",
              description: "an ECR authorization token (12 hours)",
              required: ["registry"],
              properties: {
                registry: registryHost("ACCOUNT.dkr.ecr.REGION.amazonaws.com"),
                region: str("default: from the registry host", { maxLength: 64 }),
              },
            },
            acr: {
              type: "object",
              description: "an ACR refresh token (about 3 hours)",
              required: ["registry"],
              properties: { registry: registryHost("NAME.azurecr.io") },
            },
          },
        },
        refresh: {
          type: "object",
          properties: {
            rotationFraction: {
              type: "number",
              minimum: 0.1,
              maximum: 0.9,
              default: 0.5,
              description: "refresh when this fraction of the lifetime has passed",
            },
            jitterFraction: {
              type: "number",
              minimum: 0,
              maximum: 0.25,
              default: 0.1,
              description: "± this fraction of the lifetime",
            },
            minRemaining: str("refresh at the latest when this much lifetime remains", {
              pattern: GO_DURATION_PATTERN,
              default: "30m",
            }),
            recheckInterval: str("re-read and re-verify a credential without expiry this often", {
              pattern: GO_DURATION_PATTERN,
              default: "1h",
            }),
          },
        },
        verify: {
          type: "object",
          properties: {
            image: str("an image the credential must be able to pull; default: the registry's ping", {
              minLength: 1,
              maxLength: 4096,
            }),
          },
        },
      },
    },
    status: {
      type: "object",
      properties: {
        observedGeneration: { type: "integer", minimum: 0 },
        conditions: CONDITIONS,
        registries: { type: "array", items: { type: "string" } },
        expiresAt: time("when the served credential stops working"),
        lastRefreshTime: time("when the served credential was swapped in"),
        nextRefreshTime: time("when the next refresh is due"),
        fingerprint: str("sha256 prefix of the served payload"),
      },
    },
  },
};

export const BINDING_SCHEMA: SchemaNode = {
  type: "object",
  required: ["spec"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["credentials", "secretName", "namespaces"],
      properties: {
        credentials: {
          type: "array",
          description: "ClusterPullCredentials merged into one .dockerconfigjson (the first wins a registry)",
          minItems: 1,
          maxItems: 32,
          items: dnsSubdomain("a ClusterPullCredential's name"),
        },
        secretName: dnsSubdomain("the Secret's name in every selected namespace"),
        namespaces: {
          type: "object",
          description: "namespaces by name, by label selector, or both",
          minProperties: 1,
          properties: {
            names: { type: "array", items: dnsLabel("a namespace") },
            selector: LABEL_SELECTOR,
          },
        },
        serviceAccounts: {
          type: "array",
          description: "ServiceAccounts whose imagePullSecrets get the Secret",
          items: dnsSubdomain("a ServiceAccount's name"),
        },
        restartStuckPods: {
          type: "boolean",
          description:
            "delete Pods of those ServiceAccounts stuck in ErrImagePull/ImagePullBackOff for a registry the Secret covers, so their controller recreates them with it (the controller needs --restart-stuck-pods; bare Pods are never deleted)",
        },
      },
    },
    status: {
      type: "object",
      properties: {
        observedGeneration: { type: "integer", minimum: 0 },
        conditions: CONDITIONS,
        namespaces: { type: "integer", minimum: 0 },
        secretsInSync: { type: "integer", minimum: 0 },
        conflicts: { type: "array", items: { type: "string" } },
      },
    },
  },
};

interface PrinterColumn {
  readonly name: string;
  readonly type: "string" | "date" | "integer";
  readonly jsonPath: string;
  readonly priority?: number;
}

const condition = (type: string): string => `.status.conditions[?(@.type=="${type}")].status`;

function crd(options: {
  kind: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  schema: SchemaNode;
  columns: readonly PrinterColumn[];
}): Record<string, unknown> {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${options.plural}.${CONTROLLER_API_GROUP}` },
    spec: {
      group: CONTROLLER_API_GROUP,
      names: {
        kind: options.kind,
        listKind: `${options.kind}List`,
        plural: options.plural,
        singular: options.singular,
        shortNames: options.shortNames,
        categories: ["pullwarden"],
      },
      scope: "Cluster",
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            ...options.columns,
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: { openAPIV3Schema: options.schema },
        },
      ],
    },
  };
}

/** The two CRDs, in the order they are installed. */
export function controllerCrds(): Record<string, unknown>[] {
  return [
    crd({
      kind: CREDENTIAL_KIND,
      plural: CREDENTIAL_PLURAL,
      singular: "clusterpullcredential",
      shortNames: ["cpc"],
      schema: CREDENTIAL_SCHEMA,
      columns: [
        { name: "Ready", type: "string", jsonPath: condition("Ready") },
        { name: "Verified", type: "string", jsonPath: condition("Verified") },
        { name: "Expires", type: "date", jsonPath: ".status.expiresAt" },
        { name: "Last Refresh", type: "date", jsonPath: ".status.lastRefreshTime" },
        { name: "Expiring Soon", type: "string", jsonPath: condition("ExpiringSoon"), priority: 1 },
        { name: "Next Refresh", type: "date", jsonPath: ".status.nextRefreshTime", priority: 1 },
      ],
    }),
    crd({
      kind: BINDING_KIND,
      plural: BINDING_PLURAL,
      singular: "clusterpullsecretbinding",
      shortNames: ["cpsb"],
      schema: BINDING_SCHEMA,
      columns: [
        { name: "Secret", type: "string", jsonPath: ".spec.secretName" },
        { name: "Ready", type: "string", jsonPath: condition("Ready") },
        { name: "Namespaces", type: "integer", jsonPath: ".status.namespaces" },
        { name: "In Sync", type: "integer", jsonPath: ".status.secretsInSync" },
      ],
    }),
  ];
}

/** Each CRD as the YAML file the chart ships (`crds/<plural>.<group>.yaml`), keyed by that file name. */
export async function controllerCrdFiles(): Promise<Map<string, string>> {
  const { stringify } = await import("yaml");
  const files = new Map<string, string>();
  for (const crd of controllerCrds()) {
    const name = (crd["metadata"] as { name: string }).name;
    files.set(
      `${name}.yaml`,
      `# Generated from src/controller/crds.ts (test/controller/crds.test.ts keeps it so): do not edit.\n${stringify(crd, { lineWidth: 0 })}`,
    );
  }
  return files;
}
