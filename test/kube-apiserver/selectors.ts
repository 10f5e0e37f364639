// labelSelector and fieldSelector: parsing (the grammar of k8s.io/apimachinery/pkg/labels and .../fields) and
// matching. Parse errors become 400 BadRequest in the handlers.
import type { ResourceDef } from "./resources.js";
import type { KubeObject } from "./types.js";

export type LabelOp = "exists" | "!exists" | "=" | "!=" | "in" | "notin" | "gt" | "lt";

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export class SelectorParseError extends Error {}

type Token =
  | { t: "id"; v: string }
  | { t: "op"; v: "=" | "==" | "!=" | "!" | "(" | ")" | "," | ">" | "<" }
  | { t: "in" | "notin" }
  | { t: "end" };

function tokenText(tok: Token): string {
  if (tok.t === "id" || tok.t === "op") return tok.v;
  if (tok.t === "end") return "";
  return tok.t;
}

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "==" || two === "!=") {
      tokens.push({ t: "op", v: two });
      i += 2;
      continue;
    }
    if ("=!(),<>".includes(c)) {
      tokens.push({ t: "op", v: c as "=" | "!" | "(" | ")" | "," | ">" | "<" });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !/[\s=!(),<>]/.test(input[j] as string)) j++;
    const word = input.slice(i, j);
    if (word === "in") tokens.push({ t: "in" });
    else if (word === "notin") tokens.push({ t: "notin" });
    else tokens.push({ t: "id", v: word });
    i = j;
  }
  tokens.push({ t: "end" });
  return tokens;
}

/** Parses a label selector string (`a=b,c!=d,e in (f,g),!h,i`) with the wording of labels.Parse errors. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const toks = lex(input);
  let p = 0;
  const peek = (): Token => toks[p] as Token;
  const next = (): Token => toks[p++] as Token;
  const fail = (msg: string): never => {
    throw new SelectorParseError(`unable to parse requirement: ${msg}`);
  };
  const requirement = (): LabelRequirement => {
    let tok = next();
    let negated = false;
    if (tok.t === "op" && tok.v === "!") {
      negated = true;
      tok = next();
    }
    if (tok.t !== "id") return fail(`found '${tokenText(tok)}', expected: identifier`);
    const key = tok.v;
    const op = peek();
    if (op.t === "end" || (op.t === "op" && op.v === ","))
      return { key, op: negated ? "!exists" : "exists", values: [] };
    if (negated) return fail(`found '${tokenText(op)}', expected: ',' or 'end of string'`);
    next();
    if (op.t === "in" || op.t === "notin") {
      const open = next();
      if (!(open.t === "op" && open.v === "(")) return fail(`found '${tokenText(open)}' expected: '('`);
      const values: string[] = [];
      for (;;) {
        tok = next();
        if (tok.t === "id") {
          values.push(tok.v);
          tok = next();
        } else if (tok.t === "op" && (tok.v === "," || tok.v === ")")) {
          values.push("");
        }
        if (tok.t === "op" && tok.v === ")") break;
        if (!(tok.t === "op" && tok.v === ","))
          return fail(`found '${tokenText(tok)}', expected: ',', or identifier`);
      }
      return { key, op: op.t, values };
    }
    if (op.t === "op" && ["=", "==", "!=", ">", "<"].includes(op.v)) {
      const value = peek();
      let v = "";
      if (value.t === "id") {
        v = value.v;
        next();
      } else if (!(value.t === "end" || (value.t === "op" && value.v === ","))) {
        next();
        return fail(`found '${tokenText(value)}', expected: identifier`);
      }
      if (op.v === ">" || op.v === "<") {
        if (!/^-?\d+$/.test(v)) return fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
        return { key, op: op.v === ">" ? "gt" : "lt", values: [v] };
      }
      return { key, op: op.v === "!=" ? "!=" : "=", values: [v] };
    }
    return fail(`found '${tokenText(op)}', expected: '=', '!=', '==', 'in', notin'`);
  };

  const reqs: LabelRequirement[] = [];
  for (;;) {
    const tok = peek();
    if (tok.t === "end") return reqs;
    if (!(tok.t === "id" || (tok.t === "op" && tok.v === "!"))) {
      throw new SelectorParseError(`found '${tokenText(tok)}', expected: !, identifier, or 'end of string'`);
    }
    reqs.push(requirement());
    const sep = next();
    if (sep.t === "end") return reqs;
    if (!(sep.t === "op" && sep.v === ",")) {
      throw new SelectorParseError(`found '${tokenText(sep)}', expected: ',' or 'end of string'`);
    }
    const after = peek();
    if (!(after.t === "id" || (after.t === "op" && after.v === "!"))) {
      throw new SelectorParseError(`found '${tokenText(after)}', expected: identifier after ','`);
    }
  }
}

export function matchesLabels(
  reqs: readonly LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case "exists":
        return has;
      case "!exists":
        return !has;
      case "=":
        return has && v === r.values[0];
      case "!=":
        return !has || v !== r.values[0];
      case "in":
        return has && r.values.includes(v as string);
      case "notin":
        return !has || !r.values.includes(v as string);
      case "gt":
      case "lt": {
        if (!has || !/^-?\d+$/.test(v as string)) return false;
        const n = Number(v);
        const ref = Number(r.values[0]);
        return r.op === "gt" ? n > ref : n < ref;
      }
    }
    return false;
  });
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** Parses a field selector (`metadata.name=x,status.phase!=Running`), with `\` escapes as in fields.ParseSelector. */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (input.trim() === "") return out;
  const terms: string[] = [];
  let cur = "";
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (c === "\\" && i + 1 < input.length) {
      cur += c + (input[i + 1] as string);
      i++;
    } else if (c === ",") {
      terms.push(cur);
      cur = "";
    } else cur += c;
  }
  terms.push(cur);
  for (const term of terms) {
    const m = /^(.*?)(!=|==|=)(.*)$/.exec(term);
    if (!m) throw new SelectorParseError(`invalid selector: '${term}'; can't understand '${term}'`);
    const unescape = (s: string): string => s.replace(/\\(.)/g, "$1");
    out.push({
      field: unescape(m[1] as string).trim(),
      op: m[2] === "!=" ? "!=" : "=",
      value: unescape(m[3] as string),
    });
  }
  return out;
}

/** Checks the field labels a resource supports; throws the real server's wording for unknown ones. */
export function checkFieldLabels(def: ResourceDef, reqs: readonly FieldRequirement[]): void {
  for (const r of reqs) {
    if (r.field === "metadata.name" || r.field === "metadata.namespace") continue;
    if (def.fieldLabels[r.field]) continue;
    if (Object.keys(def.fieldLabels).length > 0) {
      throw new SelectorParseError(`field label not supported: ${r.field}`);
    }
    throw new SelectorParseError(
      `"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
    );
  }
}

export function fieldValue(def: ResourceDef, obj: KubeObject, field: string): string {
  if (field === "metadata.name") return obj.metadata.name ?? "";
  if (field === "metadata.namespace") return obj.metadata.namespace ?? "";
  return def.fieldLabels[field]?.(obj) ?? "";
}

export function matchesFields(def: ResourceDef, reqs: readonly FieldRequirement[], obj: KubeObject): boolean {
  return reqs.every((r) => {
    const v = fieldValue(def, obj, r.field);
    return r.op === "=" ? v === r.value : v !== r.value;
  });
}

/** A compiled list/watch filter. */
export interface ObjectFilter {
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

export function matchesFilter(def: ResourceDef, filter: ObjectFilter, obj: KubeObject): boolean {
  return matchesLabels(filter.labels, obj.metadata.labels) && matchesFields(def, filter.fields, obj);
}
