/**
 * A `metav1.LabelSelector` (matchLabels and matchExpressions, ANDed) and whether a set of labels matches it, as
 * apimachinery's `LabelSelectorAsSelector` then `Matches` decides
 * (k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go, pkg/labels/selector.go):
 * - an empty selector (`{}`) matches everything; callers decide what an absent selector means;
 * - `In` needs a value in the set, `NotIn` matches when the key is absent or its value is not in the set;
 * - `Exists` / `DoesNotExist` take no values;
 * - an invalid selector (unknown operator, In/NotIn without values, Exists with values) matches nothing, and
 *   `labelSelectorProblems` says why, so a typo never selects every namespace.
 */
export type LabelSelectorOperator = "In" | "NotIn" | "Exists" | "DoesNotExist";

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

const OPERATORS: ReadonlySet<string> = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/** What is wrong with a selector (one line each); empty when it is valid. */
export function labelSelectorProblems(selector: LabelSelector): string[] {
  const problems: string[] = [];
  for (const [index, requirement] of (selector.matchExpressions ?? []).entries()) {
    const where = `matchExpressions[${index}]`;
    const values = requirement.values ?? [];
    if (!OPERATORS.has(requirement.operator)) {
      problems.push(
        `${where}: operator ${JSON.stringify(requirement.operator)} is not In, NotIn, Exists or DoesNotExist`,
      );
    } else if ((requirement.operator === "In" || requirement.operator === "NotIn") && values.length === 0) {
      problems.push(`${where}: operator ${requirement.operator} needs at least one value`);
    } else if (
      (requirement.operator === "Exists" || requirement.operator === "DoesNotExist") &&
      values.length > 0
    ) {
      problems.push(`${where}: operator ${requirement.operator} takes no values`);
    }
    if (requirement.key === "") problems.push(`${where}: the key is empty`);
  }
  return problems;
}

function requirementMatches(
  requirement: LabelSelectorRequirement,
  labels: Readonly<Record<string, string>>,
): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
  }
}

/** Whether `labels` match `selector`; an invalid selector matches nothing. */
export function labelSelectorMatches(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (labelSelectorProblems(selector).length > 0) return false;
  const actual = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(actual, key) || actual[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, actual));
}
