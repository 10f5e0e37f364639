import { describe, expect, it } from "vitest";
import { CANARY, ECR_HOST, STATUS_NOW, statusFixture } from "../../test/cli/status-fixtures.js";
import type { SecretObject } from "../kube-model/index.js";
import { buildStatusView } from "./status-view.js";
import { coverageMatrix } from "./status-view-coverage.js";
import { coverageMatrixHtml, renderStatusHtml, timelineSvg } from "./status-view-html.js";
import { secretFacts } from "./status-view-secrets.js";
import { renderStatusText, table, timeText } from "./status-view-text.js";

const view = buildStatusView(statusFixture());
const tool = { name: "pullwarden", version: "0.0.0-test" };
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("buildStatusView: credentials", () => {
  it.each([
    // name, ExpiringSoon, Ready, Ready's reason, expiresAt, failures (condition:reason)
    [
      "acr-old",
      "True",
      "False",
      "Expired",
      "2026-06-01T11:00:00Z",
      ["ExpiringSoon:RefreshFailing", "Ready:Expired"],
    ],
    [
      "ecr-prod",
      "True",
      "True",
      "Serving",
      "2026-06-01T14:00:00Z",
      ["Verified:RegistryRejected", "ExpiringSoon:RefreshFailing"],
    ],
    ["ghcr", "False", "True", "Serving", undefined, []],
  ] as const)("%s", (name, expiring, ready, readyReason, expiresAt, failures) => {
    const c = view.credentials.find((x) => x.name === name);
    expect(c?.expiringSoon?.status).toBe(expiring);
    expect(c?.ready?.status).toBe(ready);
    expect(c?.ready?.reason).toBe(readyReason);
    expect(c?.expiresAt).toBe(expiresAt);
    expect(c?.failures.map((f) => `${f.condition}:${f.reason}`)).toEqual(failures);
  });

  it("sorts by name, names the source and the bindings that use each, and shows one without status as such", () => {
    expect(view.credentials.map((c) => [c.name, c.source, c.boundBy.join(",")])).toEqual([
      ["acr-old", "acr contoso.azurecr.io", "azure"],
      ["ecr-prod", `ecr ${ECR_HOST}`, "apps"],
      ["ghcr", "static secret/ghcr-login", "apps"],
      ["new-acr", "acr fabrikam.azurecr.io", ""],
    ]);
    const fresh = view.credentials.find((c) => c.name === "new-acr");
    expect(fresh).toMatchObject({ stale: true, registries: [], failures: [] });
    expect(fresh?.ready).toBeUndefined();
  });

  it("marks a spec the controller has not reported on yet (observedGeneration behind)", () => {
    const inputs = statusFixture();
    const [first, ...rest] = inputs.credentials;
    const bumped = { ...first!, metadata: { ...first!.metadata, generation: 2 } };
    const stale = buildStatusView({ ...inputs, credentials: [bumped, ...rest] });
    expect(stale.credentials.find((c) => c.name === first!.metadata.name)?.stale).toBe(true);
  });
});

describe("buildStatusView: which namespaces a binding covers, and why not", () => {
  it.each([
    ["apps", "team-a", "in-sync", ""],
    ["apps", "team-b", "outdated", `Secret pull-creds lacks ${ECR_HOST}`],
    [
      "apps",
      "team-c",
      "conflict",
      "a Secret pull-creds that the controller does not own (not pullwarden's) is in the way (left as is)",
    ],
    ["apps", "legacy", "unbound", "ServiceAccount default does not list pull-creds in imagePullSecrets"],
    ["azure", "team-b", "held", "every credential of acr-pull has expired"],
  ])("%s in %s: %s", (binding, namespace, state, reason) => {
    const found = view.bindings
      .find((b) => b.name === binding)
      ?.namespaces.find((n) => n.namespace === namespace);
    expect(found).toEqual({ namespace, state, reason });
  });

  it("names the namespaces it asks for but cannot cover: absent, terminating", () => {
    expect(view.bindings.find((b) => b.name === "apps")?.notSelected).toEqual([
      { namespace: "gone", reason: "does not exist" },
      { namespace: "old-ns", reason: "terminating" },
    ]);
  });

  it.each([
    ["no Secret yet", false, "missing", "no Secret pull-creds yet (the controller has not written it)"],
    ["no ServiceAccount", true, "unbound", "ServiceAccount default does not exist"],
  ] as const)("%s", (_, withSecret, state, reason) => {
    const inputs = statusFixture();
    const namespaces = [
      ...inputs.namespaces,
      { name: "team-d", labels: { team: "apps" }, terminating: false },
    ];
    const secrets = withSecret
      ? [
          ...inputs.secrets,
          {
            namespace: "team-d",
            name: "pull-creds",
            writer: "controller" as const,
            registries: ["ghcr.io", ECR_HOST],
          },
        ]
      : inputs.secrets;
    const got = buildStatusView({ ...inputs, namespaces, secrets });
    expect(got.bindings[0]?.namespaces.find((n) => n.namespace === "team-d")).toEqual({
      namespace: "team-d",
      state,
      reason,
    });
  });

  it("a binding with an invalid spec lists its problems and covers nothing", () => {
    const inputs = statusFixture();
    const broken = {
      ...inputs.bindings[0]!,
      spec: { ...inputs.bindings[0]!.spec, namespaces: {} as never, secretName: "" },
    };
    const got = buildStatusView({ ...inputs, bindings: [broken] });
    expect(got.bindings[0]?.problems).toContain("spec.secretName: missing");
    expect(got.bindings[0]?.namespaces).toEqual([]);
  });
});

describe("coverage matrix", () => {
  const cell = (namespace: string, registry: string) => {
    const row = view.coverage.rows.find((r) => r.namespace === namespace);
    return row?.cells[view.coverage.registries.indexOf(registry)];
  };

  it("has a column per registry served or held, a row per namespace", () => {
    expect(view.coverage.registries).toEqual([ECR_HOST, "contoso.azurecr.io", "ghcr.io"]);
    expect(view.coverage.rows.map((r) => r.namespace)).toEqual([
      "kube-system",
      "legacy",
      "monitoring",
      "old-ns",
      "team-a",
      "team-b",
      "team-c",
    ]);
  });

  it.each([
    ["team-a", "ghcr.io", "controller", "binding apps: secret pull-creds"],
    ["team-a", ECR_HOST, "controller", "binding apps: secret pull-creds"],
    [
      "team-b",
      ECR_HOST,
      "none",
      `binding apps: Secret pull-creds lacks ${ECR_HOST}; binding azure: every credential of acr-pull has expired`,
    ],
    [
      "team-b",
      "contoso.azurecr.io",
      "none",
      `binding apps: Secret pull-creds lacks ${ECR_HOST}; binding azure: every credential of acr-pull has expired`,
    ],
    ["team-c", "ghcr.io", "foreign", "not pullwarden's: secret pull-creds"],
    ["monitoring", "ghcr.io", "apply", "pullwarden apply: secret regcred"],
    ["kube-system", "contoso.azurecr.io", "foreign", "not pullwarden's: secret acr-login"],
    ["kube-system", "ghcr.io", "none", "no Secret in this namespace holds it"],
  ])("%s × %s: %s", (namespace, registry, method, detail) => {
    expect(cell(namespace, registry)).toEqual({ method, detail });
  });

  it("counts each method's cells", () => {
    const { totals } = view.coverage;
    expect(totals.controller + totals.apply + totals.foreign + totals.none).toBe(7 * 3);
    expect(totals).toMatchObject({ controller: 5, apply: 1, foreign: 2 });
  });

  it("a wildcard key covers the registries it matches as kubelet matches it", () => {
    const matrix = coverageMatrix({
      namespaces: [{ name: "ns", labels: {}, terminating: false }],
      secrets: [{ namespace: "ns", name: "wild", registries: ["*.azurecr.io"] }],
      credentialRegistries: ["contoso.azurecr.io", "ghcr.io"],
      bindings: [],
    });
    expect(matrix.rows[0]?.cells.map((c) => c.method)).toEqual(["foreign", "foreign", "none"]);
  });
});

describe("secretFacts (hostile input)", () => {
  const secret = (
    type: string,
    data: Record<string, string>,
    labels?: Record<string, string>,
  ): SecretObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { namespace: "n", name: "s", ...(labels ? { labels } : {}) },
    type,
    data,
  });
  it.each([
    ["an Opaque Secret is not a docker config", secret("Opaque", { x: b64(CANARY) }), undefined],
    [
      "dockerconfigjson, keys normalised as kubelet indexes them",
      secret("kubernetes.io/dockerconfigjson", {
        ".dockerconfigjson": b64(
          JSON.stringify({
            auths: {
              "https://ghcr.io/v2/": { auth: b64(`u:${CANARY}`) },
              "r.example:5000": { password: CANARY },
            },
          }),
        ),
      }),
      { namespace: "n", name: "s", registries: ["ghcr.io", "r.example:5000"] },
    ],
    [
      "a key holding a password in its user info (kubelet's key drops it; beyond the authority it is ***)",
      secret("kubernetes.io/dockerconfigjson", {
        ".dockerconfigjson": b64(
          JSON.stringify({
            auths: {
              [`https://bot:${CANARY}@r.example`]: { auth: b64("u:p") },
              [`bot:${CANARY}/x@q.example`]: { auth: b64("u:p") },
            },
          }),
        ),
      }),
      { namespace: "n", name: "s", registries: ["***", "r.example"] },
    ],
    [
      "dockercfg, labelled as ours",
      secret(
        "kubernetes.io/dockercfg",
        { ".dockercfg": b64(JSON.stringify({ "quay.io": { auth: b64(`u:${CANARY}`) } })) },
        { "app.kubernetes.io/managed-by": "pullwarden" },
      ),
      { namespace: "n", name: "s", writer: "apply", registries: ["quay.io"] },
    ],
    [
      "a value that is not JSON",
      secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": b64(`{"auths": ${CANARY}`) }),
      {
        namespace: "n",
        name: "s",
        registries: [],
        unreadable: "its kubernetes.io/dockerconfigjson value cannot be read",
      },
    ],
    [
      "a value that is not base64",
      secret("kubernetes.io/dockerconfigjson", { ".dockerconfigjson": `%%${CANARY}%%` }),
      {
        namespace: "n",
        name: "s",
        registries: [],
        unreadable: "its kubernetes.io/dockerconfigjson value cannot be read",
      },
    ],
    [
      "no data at all",
      secret("kubernetes.io/dockerconfigjson", {}),
      {
        namespace: "n",
        name: "s",
        registries: [],
        unreadable: "its kubernetes.io/dockerconfigjson value cannot be read",
      },
    ],
  ])("%s", (_, input, expected) => {
    const facts = secretFacts(input);
    expect(facts).toEqual(expected);
    expect(JSON.stringify(facts ?? {})).not.toContain(CANARY);
  });
});

describe("renderers", () => {
  const outputs = {
    text: renderStatusText(view),
    json: JSON.stringify(view),
    html: renderStatusHtml(view, tool),
  };

  it.each(Object.entries(outputs))("%s never holds a secret (canary, raw or base64)", (_, out) => {
    expect(out).not.toContain(CANARY);
    expect(out).not.toContain(b64(CANARY));
    expect(out).not.toContain(b64(`u:${CANARY}`));
  });

  it("text: kubectl-style tables and the reasons behind what is not ready", () => {
    const text = outputs.text;
    expect(text).toMatch(
      /^CLUSTER PULL CREDENTIALS \(4\)\nNAME +SOURCE +READY +VERIFIED +EXPIRING-SOON +EXPIRES +LAST-REFRESH +NEXT-REFRESH +REGISTRIES\n/,
    );
    expect(text).toContain("  ecr-prod: Verified=False RegistryRejected since 2026-06-01T11:30:00Z:");
    expect(text).toContain("  new-acr: no status yet: is the controller running?");
    expect(text).toContain("  apps: team-c: conflict: a Secret pull-creds that the controller does not own");
    expect(text).toContain("  apps: gone: not covered: does not exist");
    expect(text).toContain("2026-06-01T14:00:00Z (in 2h)");
    expect(text).toMatch(/\nteam-a +controller +- +controller\n/);
    expect(text).toContain("5 controller, 1 apply, 2 foreign, 13 none");
  });

  it("a scoped-mode binding's OutOfScope reason shows like the others (text, html)", () => {
    const message =
      "scoped mode: not watched (add to --watch-namespaces / scope.namespaces): team-d; refused by the API server (no Role there, or no such namespace): team-c";
    const inputs = statusFixture();
    const scoped = buildStatusView({
      ...inputs,
      bindings: inputs.bindings.map((b) =>
        b.metadata.name === "azure"
          ? {
              ...b,
              status: {
                ...b.status,
                conditions: [
                  {
                    type: "Ready",
                    status: "False",
                    reason: "OutOfScope",
                    message,
                    lastTransitionTime: "2026-06-01T11:00:00Z",
                  },
                ],
              },
            }
          : b,
      ),
    });
    const text = renderStatusText(scoped);
    expect(text).toMatch(/\nazure +.*OutOfScope/);
    expect(text).toContain(`  azure: Ready=False OutOfScope: ${message}`);
    expect(renderStatusHtml(scoped, tool)).toContain('<span class="bad">False</span> OutOfScope');
  });

  it.each([
    ["2026-06-01T14:00:00Z", "2026-06-01T14:00:00Z (in 2h)"],
    ["2026-06-01T11:55:00Z", "2026-06-01T11:55:00Z (5m ago)"],
    [undefined, "-"],
    ["not a time", "not a time"],
  ])("timeText(%s)", (iso, expected) => {
    expect(timeText(iso, STATUS_NOW)).toBe(expected);
  });

  it("table pads every column but the last, as kubectl", () => {
    expect(
      table(
        ["A", "BB"],
        [
          ["xyz", "1"],
          ["q", "22"],
        ],
      ),
    ).toBe("A     BB\nxyz   1\nq     22");
  });

  it("html: self-contained (no script, no external reference), a timeline per credential and the matrix", () => {
    const html = outputs.html;
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import|https?:/i);
    expect(html.match(/<rect /g)?.length).toBe(3); // the three credentials serving something
    expect(html.match(/<circle /g)?.length).toBe(4); // their failures
    expect(html.match(/<td class="cell /g)?.length).toBe(21);
    expect(html).toContain("no credential served");
    expect(html).toContain(
      '<td class="cell none" title="team-b × contoso.azurecr.io: nothing — binding apps:',
    );
  });

  it.each([
    ["seconds", 20_000, 200],
    ["hours", 12 * 3_600_000, 300],
  ])("the timeline's axis fits a lifetime of %s (the bar is wide)", (_, lifetimeMs, minWidth) => {
    const now = Date.parse("2026-06-01T12:00:00Z");
    const iso = (ms: number) => new Date(now + ms).toISOString();
    const svg = timelineSvg(
      [
        {
          name: "c",
          source: "ecr r",
          ready: { status: "True", reason: "Serving", message: "", since: iso(-lifetimeMs / 2) },
          lastRefreshTime: iso(-lifetimeMs / 2),
          expiresAt: iso(lifetimeMs / 2),
          nextRefreshTime: iso(0),
          registries: ["r"],
          stale: false,
          failures: [],
          boundBy: [],
          problems: [],
        },
      ],
      iso(0),
    );
    const width = Number(/<rect [^>]*width="([\d.]+)"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThan(minWidth);
  });

  it("html escapes what the cluster says (names, messages, keys)", () => {
    const hostile = coverageMatrixHtml(
      coverageMatrix({
        namespaces: [{ name: "ns", labels: {}, terminating: false }],
        secrets: [{ namespace: "ns", name: 'x"><svg onload=alert(1)>', registries: ["<b>evil</b>"] }],
        credentialRegistries: [],
        bindings: [],
      }),
    );
    expect(hostile).not.toContain("<b>evil");
    expect(hostile).not.toContain("<svg onload");
    expect(hostile).toContain("&lt;b&gt;evil&lt;/b&gt;");
  });

  it("the same view renders the same bytes", () => {
    expect(renderStatusHtml(buildStatusView(statusFixture()), tool)).toBe(outputs.html);
    expect(renderStatusText(buildStatusView(statusFixture()))).toBe(outputs.text);
  });
});
