// What is true now over what failed then (src/doctor/supersede.ts): the Pod's status and events tell of kubelet's
// last failed pull; a Secret corrected or created since, and a probe that pulls with it now, make them stale.
// The sandbox's newcomer sequence is the first two rows: shop/web's wrong password fixed, payments/billing's
// missing Secret created. Evidence is built from API objects as the live gatherer builds it.
import { describe, expect, it } from "vitest";
import { diagnose } from "../../src/doctor/index.js";
import type { Diagnosis, ProbeEvidence } from "../../src/doctor/index.js";
import { PLANTED, dockerSecret, event, evidence, failedEvent, pod, probe, tokens } from "./fixtures.js";
import type { Scenario } from "./fixtures.js";

const IMAGE = "registry.example.com:5000/shop/web:1.0";
const HOST = "registry.example.com:5000";
const manifest401 = `rpc error: code = Unknown desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": unexpected status from HEAD request to https://${HOST}/v2/shop/web/manifests/1.0: 401 Unauthorized`;
const noBasicAuth = `rpc error: code = Unknown desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials`;
const refused = `rpc error: code = Unavailable desc = failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": failed to do request: Head "https://${HOST}/v2/shop/web/manifests/1.0": dial tcp 10.0.0.9:5000: connect: connection refused`;
/** kubelet's last failed pull in the fixtures (failedEvent's lastTimestamp). */
const LAST_FAILURE = "2026-06-01T09:59:00Z";
const BEFORE = "2026-06-01T09:40:00Z";
const AFTER = "2026-06-01T09:59:40Z";

/** The Secret as the API returns it after a write at `time` by `manager` (managedFields own its data). */
function writtenAt(secret: Record<string, unknown>, time: string, created = "2026-05-01T00:00:00Z") {
  const metadata = secret["metadata"] as Record<string, unknown>;
  return {
    ...secret,
    metadata: {
      ...metadata,
      creationTimestamp: created,
      managedFields: [
        {
          manager: "pullwarden",
          operation: "Apply",
          apiVersion: "v1",
          time,
          fieldsType: "FieldsV1",
          fieldsV1: { "f:data": { "f:.dockerconfigjson": {} }, "f:type": {} },
        },
        {
          manager: "kubectl-label",
          operation: "Update",
          apiVersion: "v1",
          time: "2026-06-01T09:59:50Z",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:metadata": { "f:labels": { "f:team": {} } } },
        },
      ],
    },
  };
}

const registryPull = (time: string) =>
  writtenAt(
    dockerSecret("registry-pull", "shop", { [HOST]: { username: "sandbox", password: tokens.password() } }),
    time,
  );
const withSecret: ProbeEvidence["credential"] = { kind: "secret", secret: "registry-pull", key: HOST };
const pulls = (credential: ProbeEvidence["credential"] = withSecret) =>
  probe(IMAGE, credential, {
    outcome: "ok",
    message: `${IMAGE} can be pulled (sha256:653c…)`,
    digest: "sha256:653c",
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    auth: "basic",
  } as never);
const rejected = (credential: ProbeEvidence["credential"] = withSecret) =>
  probe(IMAGE, credential, {
    outcome: "unauthorized",
    reason: "credential-rejected",
    message: "the registry rejected the credential",
    status: 401,
  } as never);
const anonymous401 = () =>
  probe(IMAGE, { kind: "anonymous" }, {
    outcome: "unauthorized",
    reason: "credentials-required",
    message: "the registry requires credentials",
    status: 401,
  } as never);

const waiting = (message: string) => ({ name: "c0", image: IMAGE, reason: "ImagePullBackOff", message });

/** shop/web: registry-pull held a wrong password; kubelet's last pull was refused. */
function web(secretWrittenAt: string, probes?: ProbeEvidence[], owner?: null): Scenario {
  return {
    pod: pod({
      containers: [waiting(`Back-off pulling image "${IMAGE}": ErrImagePull: ${manifest401}`)],
      imagePullSecrets: ["registry-pull"],
      ...(owner === null ? { owner: null } : {}),
    }),
    events: [failedEvent(IMAGE, manifest401)],
    secrets: [registryPull(secretWrittenAt)],
    ...(probes ? { probes } : {}),
    ...(owner === null ? { owner: null } : {}),
  };
}

/** payments/billing: kubelet could not read payments-registry, and pulled without it. */
function billing(secret: "missing" | "created", probes?: ProbeEvidence[]): Scenario {
  const created = writtenAt(
    dockerSecret("payments-registry", "shop", {
      [HOST]: { username: "sandbox", password: tokens.password() },
    }),
    AFTER,
    AFTER,
  );
  return {
    pod: pod({
      containers: [waiting(`Back-off pulling image "${IMAGE}": ErrImagePull: ${noBasicAuth}`)],
      imagePullSecrets: ["payments-registry"],
    }),
    events: [
      event(
        "FailedToRetrieveImagePullSecret",
        "Unable to retrieve some image pull secrets (payments-registry); attempting to pull the image may not succeed.",
      ),
      failedEvent(IMAGE, noBasicAuth),
    ],
    ...(secret === "missing" ? { missing: ["payments-registry"] } : { secrets: [created] }),
    ...(probes ? { probes } : {}),
  };
}

interface Row {
  name: string;
  scenario: Scenario;
  top: string;
  /** Causes that must not be reported at all. */
  absent?: string[];
  title?: RegExp;
  evidence?: RegExp[];
  commands?: string[];
  firstCommand?: string;
  /** Text no diagnosis may contain (e.g. a fix telling to renew what was renewed). */
  never?: RegExp;
}

const RESTART = "kubectl -n shop rollout restart deployment/web";
const PROBE_CMD = "pullwarden doctor web-7d9c8b6f5-x2x7k -n shop --probe";

const rows: Row[] = [
  {
    name: "wrong password fixed, the probe pulls with it: fixed, kubelet pulls at its next retry",
    scenario: web(AFTER, [anonymous401(), pulls()]),
    top: "fixed-awaiting-retry",
    absent: ["credential-rejected", "registry-unauthorized", "registry-requires-auth"],
    title: /^Fixed since kubelet's last failed pull: the credential in registry-pull can pull the image now/,
    evidence: [
      /^probe with Secret registry-pull key registry\.example\.com:5000: ok: .* can be pulled/m,
      new RegExp(
        `^Secret shop/registry-pull was last written 2026-06-01T09:59:40.000Z, after kubelet's last failed pull \\(${LAST_FAILURE.replace("Z", ".000Z")}\\)$`,
        "m",
      ),
      /^before the fix: The registry rejected the credential in registry-pull \(wrong, expired or revoked\) \[credential-rejected\]$/m,
      /^event Failed .*401 Unauthorized/m,
      /back-off that doubles from 10s up to 5 minutes/,
    ],
    commands: [RESTART],
    never: /renew|secret create/,
  },
  {
    name: "the missing Secret created, the probe pulls with it: fixed",
    scenario: billing("created", [
      anonymous401(),
      pulls({ kind: "secret", secret: "payments-registry", key: HOST }),
    ]),
    top: "fixed-awaiting-retry",
    absent: ["pull-secret-missing", "registry-unauthorized", "registry-requires-auth", "no-pull-credential"],
    title: /the credential in payments-registry can pull the image now/,
    evidence: [
      /^Secret shop\/payments-registry was created 2026-06-01T09:59:40\.000Z, after kubelet's last failed pull/m,
      /^before the fix: .*\[pull-secret-missing\]$/m,
      /^event FailedToRetrieveImagePullSecret/m,
    ],
    commands: [RESTART],
    never: /secret create/,
  },
  {
    name: "the missing Secret created, no probe: it exists now, unconfirmed (check with --probe)",
    scenario: billing("created"),
    top: "fixed-awaiting-retry",
    absent: ["pull-secret-missing"],
    title:
      /^The pull secret payments-registry exists now \(kubelet could not read it at its last attempt\): kubelet uses it at its next retry$/,
    evidence: [/^Secret shop\/payments-registry was created .*, after kubelet's last failed pull/m],
    commands: [PROBE_CMD, RESTART],
    never: /secret create/,
  },
  {
    name: "the missing Secret created, but the probe's credential is refused: the probe speaks",
    scenario: billing("created", [
      anonymous401(),
      rejected({ kind: "secret", secret: "payments-registry", key: HOST }),
    ]),
    top: "credential-rejected",
    absent: ["pull-secret-missing", "fixed-awaiting-retry"],
  },
  {
    name: "the Secret still missing: pull-secret-missing as before",
    scenario: billing("missing"),
    top: "pull-secret-missing",
    absent: ["fixed-awaiting-retry"],
  },
  {
    name: "Secret written after the failure, no probe: the refusal stays, lower, with a fix that may have landed",
    scenario: web(AFTER),
    top: "credential-rejected",
    absent: ["fixed-awaiting-retry"],
    evidence: [
      /^Secret shop\/registry-pull was last written .*, after kubelet's last failed pull .*: a fix may have landed since, and this failure may be stale$/m,
    ],
    // The check first, then the fix in case the change did not fix it.
    firstCommand: PROBE_CMD,
  },
  {
    name: "Secret written after the failure, the probe is still refused: credential-rejected, no doubt",
    scenario: web(AFTER, [anonymous401(), rejected()]),
    top: "credential-rejected",
    absent: ["fixed-awaiting-retry"],
    never: /a fix may have landed/,
  },
  {
    name: "a kubelet that sends a refused credential never falls back to anonymous: not fixed",
    scenario: web(AFTER, [
      probe(IMAGE, { kind: "anonymous" }, {
        outcome: "ok",
        message: "can be pulled",
        digest: "sha256:1",
      } as never),
      rejected(),
    ]),
    top: "credential-rejected",
    absent: ["fixed-awaiting-retry"],
  },
  {
    name: "a network failure is not ruled out by a probe from here: it stays",
    scenario: {
      ...web(AFTER, [pulls()]),
      pod: pod({ containers: [waiting(refused)], imagePullSecrets: ["registry-pull"] }),
      events: [failedEvent(IMAGE, refused)],
    },
    top: "connection-refused",
    absent: ["fixed-awaiting-retry"],
  },
  {
    name: "only kubelet's bare back-off known (events expired): a pull from here claims no fix",
    scenario: {
      ...web(AFTER, [pulls()]),
      pod: pod({
        containers: [{ name: "c0", image: IMAGE, reason: "ImagePullBackOff" }],
        imagePullSecrets: ["registry-pull"],
      }),
      events: [],
    },
    top: "image-pull-failed",
    absent: ["fixed-awaiting-retry"],
    evidence: [/^probe with Secret registry-pull key .*: ok:/m],
  },
  {
    name: "a bare Pod is recreated to pull at once",
    scenario: web(AFTER, [pulls()], null),
    top: "fixed-awaiting-retry",
    commands: [
      "kubectl -n shop get pod web-7d9c8b6f5-x2x7k -o yaml > pod.yaml",
      "kubectl -n shop replace --force -f pod.yaml",
    ],
  },
];

const text = (diagnoses: readonly Diagnosis[]) => JSON.stringify(diagnoses);

describe("diagnose: what is true now over what failed then", () => {
  it.each(rows.map((r) => [r.name, r] as const))("%s", (_name, row) => {
    const diagnoses = diagnose(evidence(row.scenario));
    const top = diagnoses[0];
    const ids = diagnoses.map((d) => d.id);
    expect(top?.id, JSON.stringify(diagnoses.map((d) => [d.id, d.score]))).toBe(row.top);
    for (const id of row.absent ?? []) expect(ids, id).not.toContain(id);
    if (row.title) expect(top?.title).toMatch(row.title);
    for (const re of row.evidence ?? []) expect(top?.evidence.join("\n")).toMatch(re);
    if (row.commands) expect(top?.fix.commands).toEqual(row.commands);
    if (row.firstCommand) expect(top?.fix.commands[0]).toBe(row.firstCommand);
    if (row.never) {
      for (const d of diagnoses)
        expect(`${d.fix.explanation}\n${d.fix.commands.join("\n")}`).not.toMatch(row.never);
    }
    for (const secret of PLANTED) expect(text(diagnoses)).not.toContain(secret);
  });

  it("a confirmed fix ranks high and counts as a finding until the Pod pulls; an unconfirmed one medium", () => {
    const confirmed = diagnose(evidence(web(AFTER, [pulls()])))[0];
    expect(confirmed).toMatchObject({ id: "fixed-awaiting-retry", confidence: "high", informational: false });
    expect(confirmed?.category).toBe("back-off");
    const unconfirmed = diagnose(evidence(billing("created")))[0];
    expect(unconfirmed).toMatchObject({ id: "fixed-awaiting-retry", confidence: "medium" });
  });

  it("a Secret written before the failure changes nothing: the refusal keeps its rank and fix", () => {
    const before = diagnose(evidence(web(BEFORE)));
    expect(before[0]?.id).toBe("credential-rejected");
    expect(before[0]?.confidence).toBe("medium");
    expect(text(before)).not.toMatch(/a fix may have landed/);
    const after = diagnose(evidence(web(AFTER)));
    expect(after[0]?.score).toBeLessThan(before[0]?.score ?? 0);
    // The original fix is still offered, after the check.
    expect(after[0]?.fix.commands.slice(1)).toEqual(before[0]?.fix.commands);
    expect(after[0]?.fix.explanation).toMatch(/^registry-pull changed after this failure: check first/);
  });

  it("a label written later by another manager is no change of the Secret's content", () => {
    // writtenAt adds a kubectl-label entry at 09:59:50, after the failure; the data was written before it.
    expect(text(diagnose(evidence(web(BEFORE))))).not.toMatch(/09:59:50/);
  });

  it("a Pod secret kubelet fails on fails the pull whatever a probe says: not fixed", () => {
    const broken = dockerSecret("broken-pull", "shop", {}, { raw: "{not json" });
    const scenario = web(AFTER, [pulls()]);
    const diagnoses = diagnose(
      evidence({
        ...scenario,
        pod: pod({
          containers: [waiting(manifest401)],
          imagePullSecrets: ["registry-pull", "broken-pull"],
        }),
        secrets: [...(scenario.secrets ?? []), broken],
      }),
    );
    expect(diagnoses.map((d) => d.id)).not.toContain("fixed-awaiting-retry");
    expect(diagnoses[0]?.id).toBe("pull-secret-malformed");
  });

  it("an image made public, for a Pod whose kubelet sends no credential: fixed, anonymously", () => {
    const diagnoses = diagnose(
      evidence({
        pod: pod({ containers: [waiting(noBasicAuth)] }),
        events: [failedEvent(IMAGE, noBasicAuth)],
        secrets: [],
        probes: [
          probe(IMAGE, { kind: "anonymous" }, {
            outcome: "ok",
            message: "can be pulled",
            digest: "sha256:1",
          } as never),
        ],
      }),
    );
    expect(diagnoses[0]?.id).toBe("fixed-awaiting-retry");
    expect(diagnoses[0]?.title).toMatch(/can be pulled anonymously now/);
  });
});
