import { hasCause } from "../context.js";
import type { DiagnosisContext } from "../context.js";
import { nodeDebugCommand } from "../fix-commands.js";
import type { Candidate, Fix } from "../model.js";
import { candidate } from "../model.js";
import type { CauseDefinition, FixContext } from "./definition.js";
import { GENERIC_AUTH_CAUSES } from "./ids.js";
import { fix, nodeName } from "./shared/fixes.js";
import { iso } from "./shared/images.js";
import { authWeight, badCredentials, imagesWithKnownCredentials } from "./shared/pull-secrets.js";
import { shQuote } from "../../text/index.js";

function clockFix(fc: FixContext): Fix {
  return fix(
    "Fix time synchronisation (NTP/chrony) on the machine whose clock is off, then retry the pull.",
    [nodeDebugCommand(nodeName(fc), "date -u")],
  );
}

/** A credential kubelet would try is not valid yet: its issuer's clock runs ahead, or the checker's behind. */
function notYetValidCandidates(ctx: DiagnosisContext): Candidate[] {
  return imagesWithKnownCredentials(ctx).flatMap((image) =>
    badCredentials(image).flatMap(({ match, lines, share }) => {
      const credential = match.entry.credential;
      if (credential?.acceptance.verdict !== "not-yet-valid") return [];
      return [
        candidate("clock-skew", 0.78 * Math.max(authWeight(image.auth), 0.7) * share, {
          image: image.image,
          containers: image.containers.map((c) => c.name),
          secrets: [match.secret.name],
          title: `The credential in ${match.secret.name} is not valid yet`,
          evidence: [...lines, credential.acceptance.reason],
          fix: {
            explanation:
              `${credential.acceptance.fix ?? ""} A token that is "not valid yet" was minted by a machine whose clock runs ahead, or is checked by one whose clock runs behind.`.trim(),
            commands: clockFix({ ctx, image }).commands,
          },
          explains: GENERIC_AUTH_CAUSES,
        }),
      ];
    }),
  );
}

/** Lease renewals every 10 s (40 s duration) and status heartbeats up to 5 min apart bound the noise. */
const SKEW_TOLERANCE_MS = 60_000;

/** The node's heartbeat, stamped with its own clock, against the API server's time of reading it. */
function nodeClockCandidates(ctx: DiagnosisContext): Candidate[] {
  const node = ctx.evidence.node;
  const clock = node?.clock;
  if (!node || !clock) return [];
  const skew = clock.heartbeat.getTime() - clock.observedAt.getTime();
  const staleness = clock.source === "lease" ? 40_000 : 300_000;
  let direction: "ahead" | "behind" | undefined;
  if (skew > SKEW_TOLERANCE_MS) direction = "ahead";
  else if (skew < -(staleness + SKEW_TOLERANCE_MS) && node.ready === true) direction = "behind";
  if (!direction) return [];
  const minutes = Math.max(1, Math.round(Math.abs(skew) / 60_000));
  const tlsTime = ctx.images.some((i) => hasCause(i, "tls-certificate-invalid-time"));
  const score = tlsTime ? 0.92 : 0.45;
  return [
    candidate("clock-skew", score, {
      title: `The clock of node ${node.name} is about ${minutes} min ${direction}`,
      evidence: [
        `node ${node.name} stamped its ${clock.source === "lease" ? "lease renewal" : "status heartbeat"} ${iso(clock.heartbeat)}; the API server read it at ${iso(clock.observedAt)}`,
        ...(tlsTime
          ? ["the runtime reports a certificate that is expired or not yet valid by the node's clock"]
          : []),
        "tokens and certificates are judged by the clock of whoever checks them: a node ahead sees them expire early, one behind sees them as not yet valid",
      ],
      fix: {
        explanation: `Fix time synchronisation on ${node.name} (chrony/NTP), then retry.`,
        commands: [
          `kubectl debug node/${shQuote(node.name)} -it --image=busybox:1.36 -- date -u`,
          `kubectl debug node/${shQuote(node.name)} -it --image=busybox:1.36 -- chroot /host chronyc tracking`,
        ],
      },
      explains: ["tls-certificate-invalid-time"],
    }),
  ];
}

export const cause: CauseDefinition<"clock-skew"> = {
  id: "clock-skew",
  title: "A clock is wrong: the token or certificate is not valid yet, or already expired, on some machines",
  category: "clock",
  checks: [
    "the node's clock (lease renewals) against the API server's",
    "the not-before and expiry times of each credential kubelet would try",
  ],
  fix: clockFix,
  detect: (ctx) => [...notYetValidCandidates(ctx), ...nodeClockCandidates(ctx)],
};
