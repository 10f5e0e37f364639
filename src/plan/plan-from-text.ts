import { planLayout } from "./decide.js";
import { parseLayout } from "./layout-parse.js";
import type { Plan } from "./plan-types.js";

/** Layout text → plan in one call (what `apply -f LAYOUT` needs: `plan.spec` is the Kubernetes part). */
export function planFromLayoutText(text: string, options: { source: string; now: Date }): Plan {
  return planLayout(parseLayout(text, options), { now: options.now });
}
