/**
 * `pullwarden init`: writes a commented starter layout for `plan`. On a terminal it asks for what the flags did
 * not give (provider, cluster, registries, namespaces); without a terminal the flags must say it all, and the
 * same layout is written without a single prompt.
 */
import { link, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { ExitCode, InternalError, UsageError } from "../../../errors.js";
import type { ClusterProvider, InitAnswers, InitRegistry } from "../../../plan/index.js";
import type * as PlanModule from "../../../plan/index.js";
import type { CliIo } from "../../io.js";
import { checkParentDirectory, outputTarget, pathKind, writeFailure } from "../../write-output.js";
import type { OutputTarget } from "../../write-output.js";
import type { InitFlags } from "./definition.js";
import { renderWrittenLayout } from "./render.js";

/** Asks one question; resolves with the answer (without the newline), or undefined at end of input. */
export type Prompt = (question: string) => Promise<string | undefined>;

const PROVIDERS: readonly ClusterProvider[] = ["aks", "eks", "gke", "other"];

/** Prompts on stderr, answers from stdin, line by line (works on a terminal and on a test stream). */
export function readlinePrompt(io: CliIo): { prompt: Prompt; close: () => void } {
  const rl = createInterface({ input: io.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    prompt: async (question) => {
      io.stderr.write(question);
      const next = await lines.next();
      return next.done ? undefined : String(next.value);
    },
    close: () => rl.close(),
  };
}

interface Asker {
  /** The flag's value, or (on a terminal) the answer; `check` returns an error text for a bad value. */
  value(
    flag: string | undefined,
    flagName: string,
    question: string,
    check: (v: string) => string | undefined,
    fallback?: string,
  ): Promise<string>;
  optional(
    flag: string | undefined,
    question: string,
    check: (v: string) => string | undefined,
  ): Promise<string | undefined>;
  yesNo(flag: boolean | undefined, question: string): Promise<boolean>;
  /** Answers are split on `separator`; trailing commas are dropped. */
  list(flag: string[] | undefined, flagName: string, question: string, separator: RegExp): Promise<string[]>;
}

function makeAsker(prompt: Prompt | undefined, io: CliIo, missing: string[]): Asker {
  const ask = async (
    question: string,
    check: (v: string) => string | undefined,
    fallback?: string,
  ): Promise<string> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const answer = await (prompt as Prompt)(fallback ? `${question} [${fallback}]: ` : `${question}: `);
      if (answer === undefined) throw new UsageError(`no answer to "${question}" (end of input)`);
      const value = answer.trim() === "" && fallback !== undefined ? fallback : answer.trim();
      const problem = check(value);
      if (problem === undefined) return value;
      io.stderr.write(`  ${problem}\n`);
    }
    throw new UsageError(`no valid answer to "${question}"`);
  };
  return {
    async value(flag, flagName, question, check, fallback) {
      if (flag !== undefined) {
        const problem = check(flag);
        if (problem) throw new UsageError(`${flagName}: ${problem}`);
        return flag;
      }
      if (!prompt) {
        if (fallback !== undefined) return fallback;
        missing.push(flagName);
        return "";
      }
      return ask(question, check, fallback);
    },
    async optional(flag, question, check) {
      if (flag !== undefined || !prompt) return flag;
      const answer = await ask(
        `${question} (optional, Enter to skip)`,
        (v) => (v === "" ? undefined : check(v)),
        "",
      );
      return answer === "" ? undefined : answer;
    },
    async yesNo(flag, question) {
      if (flag !== undefined) return flag;
      if (!prompt) return false;
      const answer = await ask(
        `${question} (y/N)`,
        (v) => (/^(y|yes|n|no)$/i.test(v) ? undefined : "answer y or n"),
        "n",
      );
      return /^y/i.test(answer);
    },
    async list(flag, flagName, question, separator) {
      if (flag && flag.length > 0) return flag;
      if (!prompt) {
        missing.push(flagName);
        return [];
      }
      const split = (v: string): string[] =>
        v
          .split(separator)
          .map((x) => x.trim().replace(/,+$/, ""))
          .filter((x) => x !== "");
      const answer = await ask(question, (v) => (split(v).length > 0 ? undefined : "give at least one"));
      return split(answer);
    },
  };
}

const required = (what: string) => (v: string) => (v === "" ? `${what} is required` : undefined);

export async function runInit(options: InitFlags, io: CliIo, injectedPrompt?: Prompt): Promise<number> {
  const output = options.output;
  // Checked before any question: an empty -o would name the working directory.
  const target = output === "-" ? undefined : outputTarget(output, io);
  if (target) await checkTarget(target, options.force);
  const plan = await import("../../../plan/index.js");
  const interactive = injectedPrompt !== undefined || (Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY));
  const session = interactive && !injectedPrompt ? readlinePrompt(io) : undefined;
  const prompt = injectedPrompt ?? session?.prompt;
  const missing: string[] = [];
  const asker = makeAsker(prompt, io, missing);
  let answers: InitAnswers;
  try {
    answers = await collectAnswers(options, asker, prompt, io, plan);
  } finally {
    session?.close();
  }
  if (missing.length > 0) {
    throw new UsageError(`init without a terminal needs ${missing.join(", ")}`, {
      hint: "e.g. pullwarden init --provider aks --cluster-name prod --resource-group rg-prod --registry myacr.azurecr.io --registry ghcr.io/acme --namespace apps",
    });
  }
  const text = plan.renderInitLayout(answers);
  try {
    plan.parseLayout(text, { source: output, now: io.now() });
  } catch (error) {
    throw new InternalError(`init wrote a layout that does not validate: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (target === undefined) {
    io.stdout.write(text);
    return ExitCode.ok;
  }
  await writeFileAtomically(target, text, options.force);
  io.stderr.write(renderWrittenLayout(target.show(target.absolute)));
  return ExitCode.ok;
}

async function collectAnswers(
  options: InitFlags,
  asker: Asker,
  prompt: Prompt | undefined,
  io: CliIo,
  plan: typeof PlanModule,
): Promise<InitAnswers> {
  const provider = (await asker.value(
    options.provider,
    "--provider",
    "Where does the cluster run? aks, eks, gke or other",
    (v) =>
      PROVIDERS.includes(v as ClusterProvider)
        ? undefined
        : `unknown provider "${v}": expected aks, eks, gke or other`,
  )) as ClusterProvider;
  const clusterName = await asker.value(options.clusterName, "--cluster-name", "Cluster name", (v) =>
    plan.formatMismatch(plan.FORMATS.clusterName, v, 100),
  );
  let aks: InitAnswers["aks"];
  let eks: InitAnswers["eks"];
  let gke: InitAnswers["gke"];
  if (provider === "aks") {
    const resourceGroup = await asker.value(
      options.resourceGroup,
      "--resource-group",
      "AKS resource group",
      required("the resource group"),
    );
    const subscription = await asker.optional(
      options.subscription,
      "Azure subscription id or name",
      () => undefined,
    );
    aks = { resourceGroup, ...(subscription ? { subscription } : {}) };
  } else if (provider === "eks") {
    const region = await asker.value(options.region, "--region", "AWS region of the cluster", (v) =>
      plan.formatMismatch(plan.FORMATS.awsRegion, v),
    );
    const accountId = await asker.value(
      options.accountId,
      "--account-id",
      "AWS account id (12 digits)",
      (v) => plan.formatMismatch(plan.FORMATS.awsAccountId, v),
    );
    const nodeRole = await asker.value(
      options.nodeRole,
      "--node-role",
      "IAM role of the node group (name or ARN)",
      required("the node role"),
    );
    eks = { region, accountId, nodeRole };
  } else if (provider === "gke") {
    const project = await asker.value(options.project, "--project", "Google Cloud project id", (v) =>
      plan.formatMismatch(plan.FORMATS.gcpProject, v),
    );
    const nodeServiceAccount = await asker.optional(
      options.nodeServiceAccount,
      "Nodes' service account email",
      (v) => plan.formatMismatch(plan.FORMATS.email, v),
    );
    gke = { project, ...(nodeServiceAccount ? { nodeServiceAccount } : {}) };
  }
  const nodesConfigurable = await asker.yesNo(
    options.nodesConfigurable,
    "Can you change kubelet flags and files on every node (self-managed nodes, custom images)?",
  );
  if (options.credentialProvider === "pullwarden" && !nodesConfigurable) {
    throw new UsageError(
      "--credential-provider pullwarden runs on every node: it needs --nodes-configurable (kubelet flags and files can be changed on every node)",
    );
  }

  let specs: { info: InitRegistry["info"]; form: InitRegistry["form"]; username?: string }[] = [];
  for (let attempt = 0; ; attempt++) {
    const raw = await asker.list(
      options.registry,
      "--registry",
      "Registries, comma-separated (e.g. myacr.azurecr.io, ghcr.io/acme, 123456789012.dkr.ecr.eu-west-1.amazonaws.com, harbor.example.com)",
      /[,\s]+/,
    );
    const parsed = raw.map((r) => plan.parseRegistrySpec(r));
    const bad = parsed.filter((p): p is string => typeof p === "string");
    if (bad.length === 0) {
      specs = parsed.filter((p): p is Exclude<typeof p, string> => typeof p !== "string");
      break;
    }
    if (!prompt || options.registry || attempt >= 4) throw new UsageError(`--registry ${bad[0]}`);
    for (const b of bad) io.stderr.write(`  ${b}\n`);
  }
  for (const spec of specs) {
    if (!plan.needsCredential(spec.info, provider) || !prompt) continue;
    const username = await asker.optional(
      undefined,
      `Username for ${spec.info.host}${spec.info.kind === "ghcr" ? " (the machine user that owns the classic PAT)" : ""}`,
      (v) => plan.formatMismatch(plan.FORMATS.username, v, 256),
    );
    if (username) spec.username = username;
  }
  const registries = plan.nameRegistries(specs);

  const namespaceSpecs = await asker.list(
    options.namespace,
    "--namespace",
    "Namespaces that pull, separated by spaces (NAME pulls from every registry; NAME=REGISTRY,REGISTRY from some)",
    /\s+/,
  );
  const namespaces = namespaceSpecs.map((spec) => {
    const [name = "", list] = spec.split("=", 2);
    const problem = plan.formatMismatch(plan.FORMATS.dnsLabel, name, 63);
    if (problem !== undefined) throw new UsageError(`--namespace ${spec}: ${problem}`);
    const wanted = (list ?? "")
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== "");
    const names = wanted.map((w) => {
      const match = registries.find((r) => r.name === w || r.info.host === w.toLowerCase());
      if (!match) {
        throw new UsageError(
          `--namespace ${spec}: no registry ${JSON.stringify(w)}; registries are ${registries.map((r) => r.name).join(", ")}`,
        );
      }
      return match.name;
    });
    return { name, registries: names };
  });
  const seen = new Set<string>();
  for (const n of namespaces) {
    if (seen.has(n.name)) throw new UsageError(`--namespace ${n.name} is given twice`);
    seen.add(n.name);
  }
  return {
    provider,
    clusterName,
    nodesConfigurable,
    ...(options.credentialProvider === "pullwarden" ? { credentialProvider: "pullwarden" as const } : {}),
    ...(options.rotation === "controller" ? { rotation: "controller" as const } : {}),
    ...(aks ? { aks } : {}),
    ...(eks ? { eks } : {}),
    ...(gke ? { gke } : {}),
    registries,
    namespaces,
  };
}

/**
 * Whether `target` may be written (usage errors when not), and whether it exists. Run before the questions,
 * so nobody answers them for a file that cannot be written, and again right before writing.
 */
async function checkTarget(target: OutputTarget, force: boolean): Promise<boolean> {
  const shown = target.show(target.absolute);
  try {
    const kind = await pathKind(target.absolute);
    if (kind === "directory") {
      throw new UsageError(`${shown} is a directory`, {
        hint: "give a file name with -o, e.g. -o layout.yaml",
      });
    }
    if (kind !== undefined && !force) {
      throw new UsageError(`${shown} already exists`, {
        hint: "choose another file with -o, or add --force",
      });
    }
    await checkParentDirectory(target);
    return kind !== undefined;
  } catch (error) {
    throw await writeFailure(target, error);
  }
}

/** Writes a new file atomically (temp file, then a hard link that fails if the target appeared). */
async function writeFileAtomically(target: OutputTarget, text: string, force: boolean): Promise<void> {
  const exists = await checkTarget(target, force);
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(dirname(target.absolute), `.${basename(target.absolute)}.tmp-`));
    const temp = join(dir, "layout.yaml");
    await writeFile(temp, text, { mode: 0o644 });
    if (exists) {
      await rename(temp, target.absolute);
    } else {
      await link(temp, target.absolute);
    }
  } catch (error) {
    throw await writeFailure(target, error);
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
