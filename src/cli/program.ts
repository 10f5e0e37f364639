/**
 * The command tree. Only commander is imported here: each command's module is loaded inside its action, so
 * `pullwarden --version` and `--help` never load YAML, the Kubernetes client or cloud SDKs (DESIGN.md §3).
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { VERSION } from "../version.js";
import type { CliIo } from "./io.js";

export interface ProgramContext {
  readonly io: CliIo;
  /** Set by actions: the exit code the command decided on. */
  exitCode: number;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** An -o parser accepting `choices` and older names for them (`aliases`: old name → choice). */
function outputWithAliases(
  choices: readonly string[],
  aliases: Readonly<Record<string, string>>,
): (value: string) => string {
  return (value) => {
    const format = Object.hasOwn(aliases, value) ? (aliases[value] as string) : value;
    if (!choices.includes(format)) {
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(", ")}.`);
    }
    return format;
  };
}

/**
 * The flags that say which secret to write, shared by `secret create` and `apply`; the kubectl ones mean what
 * they mean for `kubectl create secret docker-registry`.
 */
function addPayloadOptions(command: Command, serverDefault?: string): Command {
  return command
    .option(
      "--docker-server <server>",
      // commander prints a given default itself; without one, say what the payload builder defaults to.
      serverDefault === undefined
        ? "registry server (default: Docker Hub, https://index.docker.io/v1/, as kubectl)"
        : "registry server",
      serverDefault,
    )
    .option("--docker-username <user>", "username for the registry")
    .option(
      "--docker-password <password>",
      "password on the command line (visible in the process list; prefer --docker-password-stdin)",
    )
    .option("--docker-password-stdin", "read the password from standard input")
    .option("--docker-password-file <path>", "read the password from a file")
    .option("--docker-password-env <name>", "read the password from an environment variable")
    .option("--docker-email <email>", "email for the registry (optional, omitted when empty)")
    .option(
      "--from-file <[key=]path>",
      "use an existing .dockerconfigjson file (repeatable; key defaults to .dockerconfigjson)",
      collect,
    )
    .option(
      "--from-docker-config [path]",
      "take credentials from a docker config.json, resolving credsStore/credHelpers (default ~/.docker/config.json)",
    )
    .option("--registry <host>", "with --from-docker-config: keep only this registry (repeatable)", collect)
    .option("--merge <files...>", "merge existing .dockerconfigjson payloads or Secret manifests into it");
}

/**
 * kubectl's `--request-timeout` for every command that talks to the cluster (read by src/cli/flags/cluster.ts;
 * the default is the kube layer's DEFAULT_KUBE_TIMEOUTS, which a test holds to this text).
 */
function requestTimeoutOption(scope = ""): Option {
  return new Option(
    "--request-timeout <duration>",
    `${scope}how long to wait for each API server request: seconds or a duration such as 30s or 2m, 0 for no limit (default 60s; connecting and the TLS handshake are bounded on their own, as kubectl)`,
  );
}

/**
 * `secret create --dry-run[=client]`: kubectl's none and server are accepted here only so that the command can
 * say why they do not work (it prints manifests and never contacts a cluster).
 */
function parseSecretCreateDryRun(value: string): string {
  if (["client", "none", "server"].includes(value)) return value;
  throw new InvalidArgumentError("secret create only prints the Secret: use --dry-run=client");
}

export function buildProgram(context: ProgramContext, invokedAs = "pullwarden"): Command {
  const { io } = context;
  const program = new Command(invokedAs)
    .description(
      "Secure, boring private-registry image pulls for Kubernetes (ACR, ECR, GHCR, any OCI registry).",
    )
    .version(VERSION, "--version", "print the version and exit")
    .helpOption("-h, --help", "show help")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .addHelpText(
      "after",
      `
Exit codes: 0 ok; 1 findings or failed check; 2 usage; 3 invalid input; 4 environment; 5 internal error.
Docs: https://github.com/pullwarden/pullwarden#readme`,
    );

  const secret = program
    .command("secret")
    .description("create, inspect and match image pull secrets (kubernetes.io/dockerconfigjson)");
  secret.configureOutput(program.configureOutput()).exitOverride();

  const createCommand = secret
    .command("create")
    .description(
      "create a pull secret manifest, byte-identical to `kubectl create secret docker-registry --dry-run=client`",
    )
    .argument("<name>", "name of the Secret");
  addPayloadOptions(createCommand, "https://index.docker.io/v1/")
    .option("--append-hash", "append a hash of the Secret's content to its name, as kubectl does", false)
    .option("-n, --namespace <namespace>", "namespace of the Secret (printed only when given, like kubectl)")
    .addOption(
      // Not .choices(): help would list kubectl's none and server, which cannot work here (runSecretCreate
      // explains them). A bare --dry-run is `true` (kubectl's deprecated spelling of client).
      new Option(
        "--dry-run [strategy]",
        "client (required): print the Secret instead of sending it",
      ).argParser(parseSecretCreateDryRun),
    )
    .addOption(new Option("-o, --output <format>", "output format").choices(["yaml", "json", "name"]))
    .option("--no-creation-timestamp", "omit `creationTimestamp: null` as kubectl >= 1.34 does")
    .action(async (name: string, options: Record<string, unknown>) => {
      const { runSecretCreate } = await import("./commands/secret-create.js");
      context.exitCode = await runSecretCreate(name, options, io);
    });

  secret
    .command("inspect")
    .description(
      "show what a pull secret holds, redacted: hosts, users, token kinds, expiry and every problem",
    )
    .argument(
      "[file]",
      "Secret manifest (YAML/JSON, multi-document), .dockerconfigjson or docker config.json; - for stdin",
      "-",
    )
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--show-secrets", "print passwords and tokens instead of redacting them", false)
    .action(async (file: string, options: Record<string, unknown>) => {
      const { runSecretInspect } = await import("./commands/secret-inspect.js");
      context.exitCode = await runSecretInspect(file, options, io);
    });

  secret
    .command("match")
    .description("list the credentials kubelet would try for IMAGE, in kubelet's order")
    .argument("<image>", "image reference, e.g. ghcr.io/org/app:1.0")
    .argument("[file]", "Secret manifest, .dockerconfigjson or docker config.json; - for stdin", "-")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--show-secrets", "print passwords and tokens instead of redacting them", false)
    .action(async (image: string, file: string, options: Record<string, unknown>) => {
      const { runSecretMatch } = await import("./commands/secret-match.js");
      context.exitCode = await runSecretMatch(image, file, options, io);
    });

  program
    .command("audit")
    .description(
      "find broken and insecure pull setups: how each image will be pulled, missing or malformed pull secrets, leaked credentials, Secret RBAC, encryption at rest",
    )
    .argument(
      "[paths...]",
      "manifest files, directories, globs (quoted), or - for stdin (helm template . | ...)",
    )
    .option(
      "-f, --filename <path>",
      "a manifest file, directory or glob, like kubectl's -f (repeatable)",
      collect,
    )
    .addOption(
      new Option("-o, --output <format>", "output format")
        .choices(["text", "json", "sarif", "junit", "html"])
        .default("text"),
    )
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a finding at or above this severity remains").choices([
        "error",
        "warning",
        "info",
        "never",
      ]),
    )
    .option(
      "--allow-empty",
      "exit 0 when the input holds no Kubernetes objects (by default that is an error: nothing was audited)",
      false,
    )
    .option("--cluster", "audit the live cluster of the current kubeconfig context", false)
    .option("--context <name>", "with --cluster: the kubeconfig context to use")
    .option("--kubeconfig <path>", "with --cluster: the kubeconfig file")
    .addOption(requestTimeoutOption("with --cluster: "))
    .option(
      "-n, --namespace <namespace>",
      "with --cluster: audit only this namespace; with files: the namespace of objects that name none",
    )
    .option("-l, --selector <selector>", "with --cluster: only objects with these labels")
    .option(
      "--config <file>",
      "audit config: suppressions, private registries, node identities (default .pullwarden-audit.yaml)",
    )
    .addOption(
      new Option(
        "--provider <provider>",
        "the nodes pull with their cloud identity from this cloud's registries",
      ).choices(["aks", "eks", "gke"]),
    )
    .option(
      "--node-credentials <pattern>",
      "the nodes can pull images matching this kubelet pattern without a Secret (a credential provider; repeatable)",
      collect,
    )
    .option("--layout <file>", "take the cluster's node identities from a pullwarden layout file")
    .option(
      "--private-registry <pattern>",
      "images matching this pattern need credentials (repeatable)",
      collect,
    )
    .option("--encryption-config <file>", "also audit the API server's EncryptionConfiguration file")
    .option("--disable <rule>", "skip a rule by id or name (repeatable)", collect)
    .option("--show-suppressed", "list suppressed findings in the text output", false)
    .action(async (paths: string[], options: Record<string, unknown>) => {
      const { runAudit } = await import("./commands/audit.js");
      context.exitCode = await runAudit(paths, options, io);
    });

  program
    .command("check")
    .description("check, with the registry's own handshake, whether a credential can pull each image")
    .argument("[images...]", "image references, e.g. ghcr.io/org/app:1.0")
    .option(
      "-f, --filename <file>",
      "read image references from a file (one per line, # comments), - for stdin",
    )
    .option(
      "--secret <file>",
      "credentials from a Secret manifest or .dockerconfigjson (- for stdin); every credential kubelet would try is checked, in kubelet's order",
    )
    .option(
      "--docker-config [path]",
      "credentials from a docker config.json (default ~/.docker/config.json), resolving credential helpers",
    )
    .option(
      "--username <user>",
      "check with this username; the password is read from stdin (--password-stdin)",
    )
    .option("--password-stdin", "read the password for --username from standard input")
    .option("--platform <os/arch[/variant]>", "also require an image for this platform, e.g. linux/arm64")
    .option("--ca-file <path>", "trust this CA bundle (PEM) in addition to the system roots")
    .option("--insecure-skip-tls-verify", "do not verify the registry's TLS certificate (insecure)", false)
    .option("--plain-http", "talk to the registry over plain HTTP", false)
    .option("--concurrency <n>", "checks to run at once", "8")
    .option(
      "--timeout <duration>",
      "timeout of each request: seconds, or a duration such as 30s or 2m (at most 1h)",
      "15s",
    )
    .addOption(
      new Option("-o, --output <format>", "output format (table: an older name for text)")
        .choices(["text", "json"])
        // After choices(): accepts the older name too, while the help lists only text and json.
        .argParser(outputWithAliases(["text", "json"], { table: "text" }))
        .default("text"),
    )
    .action(async (images: string[], options: Record<string, unknown>) => {
      const { runCheck } = await import("./commands/check.js");
      context.exitCode = await runCheck(images, options, io);
    });

  const applyCommand = program
    .command("apply")
    .description(
      "put a pull secret into namespaces and append it to ServiceAccounts' imagePullSecrets, idempotently (or every secret and binding of a layout, with -f)",
    )
    .argument("[name]", "name of the Secret in every namespace (not with -f)")
    .option(
      "-f, --filename <layout>",
      "apply the pull secrets and ServiceAccount bindings `plan -f LAYOUT` decides (- for stdin); not with NAME, the secret flags, -n or --service-account",
    );
  // No default server here: `-f` must see whether --docker-server was given (the payload builder defaults it).
  addPayloadOptions(applyCommand)
    .option(
      "-n, --namespace <names>",
      "namespaces to put it in (repeatable, or comma-separated; default: the context's namespace)",
      collect,
    )
    .option("--namespace-selector <selector>", "every namespace matching this label selector, e.g. team=web")
    .option(
      "--service-account <names>",
      "ServiceAccounts whose imagePullSecrets get it, in each namespace (repeatable or comma-separated; usually default)",
      collect,
    )
    .option("--context <name>", "the kubeconfig context to use")
    .option("--kubeconfig <file>", "path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)")
    .addOption(requestTimeoutOption())
    .addOption(
      // Not .choices(): a bare --dry-run (kubectl's deprecated spelling of client) must not show up in help.
      new Option(
        "--dry-run [strategy]",
        "client: change nothing; server: send every write with dryRun=All (none: the default)",
      )
        .preset(true)
        // commander passes the preset through the parser too.
        .argParser((value: string | true) => {
          if (value !== true && !["none", "client", "server"].includes(value)) {
            throw new InvalidArgumentError("expected none, client or server");
          }
          return value;
        }),
    )
    .option("--diff", "show what changes, redacted (secret data as registries added/changed/removed)", false)
    .option(
      "--prune",
      "delete secrets pullwarden owns under this name in namespaces no longer selected",
      false,
    )
    .option("--adopt", "take over a same-named secret pullwarden does not own (its data is replaced)", false)
    .option(
      "--restart-stuck",
      "delete Pods stuck in ErrImagePull/ImagePullBackOff that their controller recreates with the secret",
      false,
    )
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (name: string | undefined, options: Record<string, unknown>) => {
      const { runApply } = await import("./commands/apply.js");
      context.exitCode = await runApply(name, options, io);
    });

  program
    .command("plan")
    .description(
      "pick the pull setup for each (cluster, registry) pair of a layout, say why, and write ready-to-run files",
    )
    .option("-f, --filename <layout>", "layout file (YAML; - for stdin); `pullwarden init` writes one")
    .option(
      "-o, --output <dir>",
      "write numbered, ready-to-run files into this new directory (default: print a summary)",
    )
    .option(
      "--force",
      "replace the output directory if it is an earlier plan output holding only the files plan wrote",
      false,
    )
    .option(
      "--include-secrets",
      "with -o: write secret values, read from the layout's passwordEnv/passwordFile sources, into the manifests",
      false,
    )
    .action(async (options: Record<string, unknown>) => {
      const { runPlan } = await import("./commands/plan.js");
      context.exitCode = await runPlan(options, io);
    });

  program
    .command("init")
    .description("write a commented starter layout for `plan` (asks on a terminal; flags work without one)")
    .addOption(
      new Option("--provider <provider>", "where the cluster runs").choices(["aks", "eks", "gke", "other"]),
    )
    .option("--cluster-name <name>", "the cluster's name")
    .option("--nodes-configurable", "kubelet flags and files can be changed on every node")
    .option("--resource-group <group>", "aks: resource group of the cluster")
    .option("--subscription <id>", "aks: subscription id or name")
    .option("--region <region>", "eks: AWS region of the cluster")
    .option("--account-id <id>", "eks: 12-digit AWS account id")
    .option("--node-role <role>", "eks: IAM role of the node group (name or ARN)")
    .option("--project <id>", "gke: Google Cloud project id")
    .option("--node-service-account <email>", "gke: the nodes' service account")
    .option(
      "--registry <registry>",
      "a registry host, ghcr.io/OWNER, acr:NAME or ecr:ACCOUNT/REGION (repeatable)",
      collect,
    )
    .option(
      "--namespace <name[=registries]>",
      "a namespace that pulls, optionally from only some registries: apps=ghcr,harbor (repeatable)",
      collect,
    )
    .option("-o, --output <file>", "where to write the layout (- for stdout)", "pullwarden-layout.yaml")
    .option("--force", "overwrite the file if it exists", false)
    .action(async (options: Record<string, unknown>) => {
      const { runInit } = await import("./commands/init.js");
      context.exitCode = await runInit(options, io);
    });

  program
    .command("explain")
    .description(
      "explain image-pull failures from `kubectl describe pod` output or event messages, offline: causes, fixes, what doctor would check",
    )
    .argument(
      "[file]",
      "kubectl describe pod output, kubectl get events, Pod YAML/JSON or bare messages; - for stdin",
      "-",
    )
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .action(async (file: string, options: Record<string, unknown>) => {
      const { runExplain } = await import("./commands/explain.js");
      context.exitCode = await runExplain(file, options, io);
    });

  program
    .command("doctor")
    .description(
      "why Pods cannot pull their images, from the live cluster: ranked causes, evidence and the exact fix",
    )
    .argument("[pod]", "a Pod name, or deploy/NAME for the Pods of a Deployment")
    .option(
      "-n, --namespace <names>",
      "the namespace (default: the context's); with --all: repeatable or comma-separated",
      collect,
    )
    .option("--all", "every Pod with image-pull trouble in the namespace(s), grouped by cause", false)
    .option("-A, --all-namespaces", "with --all: every namespace (cluster-wide lists)", false)
    .option("--context <name>", "the kubeconfig context to use")
    .option("--kubeconfig <file>", "path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)")
    .addOption(requestTimeoutOption())
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .option(
      "--probe",
      "also ask the registry, with each credential kubelet would try and anonymously (from here, not the node)",
      false,
    )
    .option("--ca-file <path>", "with --probe: trust this CA bundle (PEM) in addition to the system roots")
    .option("--insecure-skip-tls-verify", "with --probe: do not verify the registry's TLS certificate", false)
    .option("--plain-http", "with --probe: talk to the registry over plain HTTP", false)
    .option(
      "--timeout <duration>",
      "with --probe: how long to wait for each registry request: seconds or a duration such as 30s",
      "15",
    )
    .action(async (pod: string | undefined, options: Record<string, unknown>) => {
      const { runDoctor } = await import("./commands/doctor.js");
      context.exitCode = await runDoctor(pod, options, io);
    });

  return program;
}
