// Output of `pullwarden credential-provider validate-config` and `exec`: findings as compilers print them, and
// kubelet's steps as a trace. Passwords are redacted unless --show-secrets.
import type { ConfigCheck, Simulation } from "../../../credential-provider/index.js";
import { plural } from "../../../text/index.js";
import type { Paint } from "../../output.js";

export function renderConfigCheck(check: ConfigCheck, paint: Paint): string {
  let out = "";
  for (const finding of check.findings) {
    const label = finding.severity === "error" ? paint.red("error") : paint.yellow("warning");
    out += `${finding.file}${finding.path ? `: ${finding.path}` : ""}: ${label}: ${finding.message}\n`;
    if (finding.fix) out += `  fix: ${finding.fix}\n`;
  }
  const errors = check.findings.filter((finding) => finding.severity === "error").length;
  const warnings = check.findings.length - errors;
  const providers = check.providers.map((decoded) => decoded.provider.name).join(", ");
  out +=
    errors > 0
      ? `${plural(errors, "error")}, ${plural(warnings, "warning")}: kubelet refuses this config and does not start\n`
      : `kubelet accepts ${check.source} (${plural(check.providers.length, "provider")}: ${providers})${warnings > 0 ? `; ${plural(warnings, "warning")}` : ""}\n`;
  return out;
}

export function renderSimulation(
  image: string,
  simulation: Simulation,
  showSecrets: boolean,
  redact: (s: string) => string,
): string {
  let out = "";
  for (const step of simulation.trace)
    out += `${step.provider ? `[${step.provider}] ` : ""}${step.message}\n`;
  if (simulation.credentials.length === 0) {
    out += `kubelet hands the runtime no provider credentials for ${image} (it goes on with the Pod's pull secrets, or anonymously)\n`;
    return out;
  }
  out += `kubelet hands the runtime, in order:\n`;
  simulation.credentials.forEach((credential, index) => {
    out += `  ${index + 1}. ${credential.key} from ${credential.provider}: username ${credential.username}, password ${showSecrets ? credential.password : redact(credential.password)}\n`;
  });
  return out;
}
