// Patch semantics checked against an oracle: `kubectl patch --local` applies strategic merge, JSON merge and
// JSON patches with the real Go implementation and k8s.io/api struct tags (no server involved). The test API
// server must produce the same result for the same object and patch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeScratchDir, removeScratchDir, requireTool, runCommand } from "../support/index.js";
import { rawRequest } from "../kube-apiserver/client.js";
import { startApiServer } from "../kube-apiserver/index.js";
import type { ApiServer, Json, KubeObject } from "../kube-apiserver/index.js";

let server: ApiServer;
let scratch: string;

beforeAll(async () => {
  server = await startApiServer({ namespaces: ["p"] });
  scratch = makeScratchDir("patch-oracle");
});

afterAll(async () => {
  await server?.stop();
  if (scratch) removeScratchDir(scratch);
});

type Pick = (o: KubeObject) => unknown;

interface Case {
  name: string;
  object: (name: string) => KubeObject;
  type: "strategic" | "merge" | "json";
  patch: unknown;
  pick: Pick;
}

const sa = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name, namespace: "p", labels: { a: "1", b: "2" }, finalizers: ["example.com/f1"] },
  imagePullSecrets: [{ name: "a" }],
  secrets: [{ name: "s1" }, { name: "s0" }],
});

const container = (name: string, image: string, env?: { name: string; value: string }[]): Json =>
  env ? { name, image, env } : { name, image };

const deployment = (name: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "p" },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        imagePullSecrets: [{ name: "a" }],
        containers: [
          container("c1", "i1", [
            { name: "A", value: "1" },
            { name: "B", value: "2" },
          ]),
          container("c2", "i2"),
        ],
      },
    },
  },
});

const pod = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "p" },
  spec: { containers: [container("c1", "i1"), container("c2", "i2")] },
});

const secret = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "p" },
  type: "Opaque",
  data: { a: "YQ==", b: "Yg==" },
});

const templateSpec = (o: KubeObject): Record<string, unknown> =>
  ((o.spec as Record<string, unknown>).template as { spec: Record<string, unknown> }).spec;
const containers = (spec: Record<string, unknown>): unknown =>
  (spec.containers as Record<string, unknown>[]).map((c) => ({ name: c.name, image: c.image, env: c.env }));

const CASES: Case[] = [
  {
    name: "SA imagePullSecrets: atomic, replaced",
    object: sa,
    type: "strategic",
    patch: { imagePullSecrets: [{ name: "b" }] },
    pick: (o) => o.imagePullSecrets,
  },
  {
    name: "SA secrets: merged by name, patch items first",
    object: sa,
    type: "strategic",
    patch: { secrets: [{ name: "s2" }] },
    pick: (o) => o.secrets,
  },
  {
    name: "SA secrets: $patch delete",
    object: sa,
    type: "strategic",
    patch: { secrets: [{ name: "s1", $patch: "delete" }] },
    pick: (o) => o.secrets,
  },
  {
    name: "labels: null deletes, others merge",
    object: sa,
    type: "strategic",
    patch: { metadata: { labels: { a: null, c: "3" } } },
    pick: (o) => o.metadata.labels,
  },
  {
    name: "finalizers: primitive merge",
    object: sa,
    type: "strategic",
    patch: { metadata: { finalizers: ["example.com/f2"] } },
    pick: (o) => o.metadata.finalizers,
  },
  {
    name: "finalizers: $deleteFromPrimitiveList",
    object: sa,
    type: "strategic",
    patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["example.com/f1"] } },
    pick: (o) => o.metadata.finalizers ?? [],
  },
  {
    name: "pod template imagePullSecrets: merged by name",
    object: deployment,
    type: "strategic",
    patch: { spec: { template: { spec: { imagePullSecrets: [{ name: "b" }] } } } },
    pick: (o) => templateSpec(o).imagePullSecrets,
  },
  {
    name: "pod template imagePullSecrets: $patch replace",
    object: deployment,
    type: "strategic",
    patch: { spec: { template: { spec: { imagePullSecrets: [{ name: "b" }, { $patch: "replace" }] } } } },
    pick: (o) => templateSpec(o).imagePullSecrets,
  },
  {
    name: "containers: new image by name",
    object: deployment,
    type: "strategic",
    patch: { spec: { template: { spec: { containers: [{ name: "c2", image: "new" }] } } } },
    pick: (o) => containers(templateSpec(o)),
  },
  {
    name: "containers: added",
    object: deployment,
    type: "strategic",
    patch: { spec: { template: { spec: { containers: [{ name: "c3", image: "i3" }] } } } },
    pick: (o) => containers(templateSpec(o)),
  },
  {
    name: "containers: $patch delete",
    object: deployment,
    type: "strategic",
    patch: { spec: { template: { spec: { containers: [{ name: "c1", $patch: "delete" }] } } } },
    pick: (o) => containers(templateSpec(o)),
  },
  {
    name: "containers: $setElementOrder",
    object: deployment,
    type: "strategic",
    patch: {
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "c2" }, { name: "c1" }],
            containers: [{ name: "c1", image: "x" }],
          },
        },
      },
    },
    pick: (o) => containers(templateSpec(o)),
  },
  {
    name: "container env: merged by name",
    object: deployment,
    type: "strategic",
    patch: {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "c1",
                env: [
                  { name: "C", value: "3" },
                  { name: "A", value: "9" },
                ],
              },
            ],
          },
        },
      },
    },
    pick: (o) => containers(templateSpec(o)),
  },
  {
    name: "$retainKeys drops the other keys of a union",
    object: (name) => {
      const d = deployment(name);
      (d.spec as Record<string, Json>).strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } };
      return d;
    },
    type: "strategic",
    patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } },
    pick: (o) => (o.spec as Record<string, unknown>).strategy,
  },
  {
    name: "pod containers: image by name",
    object: pod,
    type: "strategic",
    patch: { spec: { containers: [{ name: "c1", image: "i1:v2" }] } },
    pick: (o) => containers(o.spec as Record<string, unknown>),
  },
  {
    name: "secret data: null deletes a key",
    object: secret,
    type: "strategic",
    patch: { data: { a: null, c: "Yw==" } },
    pick: (o) => o.data,
  },
  {
    name: "merge patch replaces lists",
    object: deployment,
    type: "merge",
    patch: { spec: { template: { spec: { imagePullSecrets: [{ name: "b" }] } } } },
    pick: (o) => templateSpec(o).imagePullSecrets,
  },
  {
    name: "JSON patch",
    object: sa,
    type: "json",
    patch: [
      { op: "add", path: "/imagePullSecrets/0", value: { name: "z" } },
      { op: "replace", path: "/metadata/labels/a", value: "x" },
      { op: "remove", path: "/secrets/1" },
    ],
    pick: (o) => [o.imagePullSecrets, o.metadata.labels, o.secrets],
  },
];

const CONTENT_TYPES = {
  strategic: "application/strategic-merge-patch+json",
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
};

const RESOURCE: Record<string, string> = {
  ServiceAccount: "/api/v1/namespaces/p/serviceaccounts",
  Deployment: "/apis/apps/v1/namespaces/p/deployments",
  Pod: "/api/v1/namespaces/p/pods",
  Secret: "/api/v1/namespaces/p/secrets",
};

describe("patches match kubectl patch --local", () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const name = `case-${i}`;
      const obj = c.object(name);
      const file = join(scratch, `${name}.json`);
      writeFileSync(file, JSON.stringify(obj));
      const local = await runCommand(
        requireTool("kubectl"),
        ["patch", "--local", "-f", file, "--type", c.type, "-p", JSON.stringify(c.patch), "-o", "json"],
        { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: scratch } },
      );
      expect(local.stderr).toBe("");
      const expected = c.pick(JSON.parse(local.stdout) as KubeObject);

      server.objects.seed(obj);
      const res = await rawRequest(server, "PATCH", `${RESOURCE[obj.kind]}/${name}`, {
        body: c.patch,
        contentType: CONTENT_TYPES[c.type],
      });
      expect(res.status, res.text).toBe(200);
      expect(c.pick(res.json<KubeObject>())).toEqual(expected);
    });
  });
});
