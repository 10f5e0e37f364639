/**
 * What a cause is, in one record: its title and category, what doctor checks to confirm it, the runtime
 * wordings that report it, how much a message alone supports it, the evidence that finds it (Secrets, the
 * ServiceAccount, the node, `--probe` answers) and its fix. Each cause exports one `CauseDefinition` from
 * `<id>.ts` in this folder; index.ts lists them.
 */
import type { RegistryKind } from "../../hosts/index.js";
import type { DiagnosisContext, ImageContext } from "../context.js";
import type { ProbeEvidence } from "../evidence.js";
import type { Candidate, Fix } from "../model.js";
import type { RuntimeRecognition, WordingSpec } from "../runtime-messages.js";
import type { CauseCategory, CauseId } from "./ids.js";

/** What a fix is built from: the whole context, and the image and message concerned when there are. */
export interface FixContext {
  readonly ctx: DiagnosisContext;
  readonly image?: ImageContext;
  readonly recognition?: RuntimeRecognition;
}

/** How a runtime message alone supports the cause (what `explain` can say from text). */
export interface MessageSupport {
  /** 0..1: how specific the wording is. */
  readonly score: number;
  /** Causes the message explains: they are folded into this one when scored lower. */
  readonly explains?: readonly CauseId[];
  /** Offered as another cause of an ambiguous wording only for images on these registries. */
  readonly registries?: readonly RegistryKind[];
}

export interface CauseDefinition<Id extends CauseId = CauseId> {
  readonly id: Id;
  /** One line for people. */
  readonly title: string;
  readonly category: CauseCategory;
  /** What doctor inspects (live) to confirm the cause or find the precise one behind it; `explain` prints it. */
  readonly checks: readonly string[];
  /** Not a failure by itself: reported, never counted as a finding. */
  readonly informational?: true;
  /** A secret, credential or identity problem produces it (an image failing so is an authentication failure). */
  readonly authentication?: true;
  /** kubelet reports it with the reason only ("Error: ErrImagePull"), naming no image. */
  readonly namedByReasonOnly?: true;
  /** Set when a runtime message can report the cause (its own wordings, or another's alternative). */
  readonly message?: MessageSupport;
  /** The wordings of kubelet, the runtimes and registries that report the cause (runtime-messages.ts). */
  readonly wordings?: readonly WordingSpec[];
  /**
   * The fix when only a message (and whatever else is known about the Pod) supports the cause; evidence-based
   * candidates may build more precise ones. Without it: look at the Pod's events, or run doctor.
   */
  readonly fix?: (fc: FixContext) => Fix;
  /** Candidates of this cause from the evidence (Secrets, ServiceAccount, node, the image reference). */
  readonly detect?: (ctx: DiagnosisContext) => Candidate[];
  /**
   * The candidate a `--probe` answer supports for a failing image, if any. Each answer supports one cause: the
   * highest-scored one wins.
   */
  readonly probe?: (
    ctx: DiagnosisContext,
    image: ImageContext,
    probe: ProbeEvidence,
  ) => Candidate | undefined;
  /** Evidence lines and fix commands added once the cause is diagnosed for an image (e.g. the node's platform). */
  readonly annotate?: (ctx: DiagnosisContext) => {
    readonly evidence: readonly string[];
    readonly commands: readonly string[];
  };
}
