/**
 * The reference grammar of grammar.ts restated as a Thompson automaton (NFA), used only to point at the
 * first bad character of a rejected reference. A regular expression can only say "no match"; the automaton
 * reads the input one UTF-16 unit at a time and reports how long the input stays a prefix of some valid
 * reference. That length is the 0-based offset of the first character that cannot start any valid
 * continuation, or the input length when the input is a valid start that ends too early.
 *
 * The simulation keeps a set of states, so it runs in O(input length × states) with no backtracking. Keep
 * this in step with grammar.ts; a property test checks that both accept exactly the same strings.
 */

interface CharState {
  readonly kind: "char";
  /** accepts[code] is 1 when the ASCII code unit may be read here; nothing outside ASCII is ever accepted. */
  readonly accepts: Uint8Array;
  readonly next: State;
}

interface SplitState {
  readonly kind: "split";
  readonly next: State[];
}

interface AcceptState {
  readonly kind: "accept";
}

type State = CharState | SplitState | AcceptState;

/** A fragment builds its states in front of `next` and returns its entry state; each call builds new states. */
type Fragment = (next: State) => State;

const ACCEPT: AcceptState = { kind: "accept" };

/** A character class such as "a-zA-Z0-9-": ranges are "x-y"; a "-" first or last is literal. */
function chars(spec: string): Fragment {
  const accepts = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    const from = spec.charCodeAt(i);
    if (spec[i + 1] === "-" && i + 2 < spec.length) {
      const to = spec.charCodeAt(i + 2);
      for (let code = from; code <= to; code++) accepts[code] = 1;
      i += 2;
    } else {
      accepts[from] = 1;
    }
  }
  return (next) => ({ kind: "char", accepts, next });
}

function literal(text: string): Fragment {
  return seq(...Array.from(text, (character) => chars(character)));
}

function seq(...parts: Fragment[]): Fragment {
  return (next) => parts.reduceRight<State>((rest, part) => part(rest), next);
}

function alt(...choices: Fragment[]): Fragment {
  return (next) => ({ kind: "split", next: choices.map((choice) => choice(next)) });
}

function optional(part: Fragment): Fragment {
  return (next) => ({ kind: "split", next: [part(next), next] });
}

function star(part: Fragment): Fragment {
  return (next) => {
    const loop: SplitState = { kind: "split", next: [] };
    loop.next.push(part(loop), next);
    return loop;
  };
}

function plus(part: Fragment): Fragment {
  return seq(part, star(part));
}

/** `part` at least `min` and at most `max` times (`max` may be Infinity). */
function repeat(part: Fragment, min: number, max: number): Fragment {
  return (next) => {
    let entry: State;
    if (max === Infinity) {
      entry = star(part)(next);
    } else {
      entry = next;
      for (let i = min; i < max; i++) entry = { kind: "split", next: [part(entry), next] };
    }
    for (let i = 0; i < min; i++) entry = part(entry);
    return entry;
  };
}

// The productions of grammar.ts (regexp.go), in the same order.
const alphanumeric = plus(chars("a-z0-9"));
const separator = alt(chars("._"), literal("__"), plus(chars("-")));
const domainNameComponent = alt(
  chars("a-zA-Z0-9"),
  seq(chars("a-zA-Z0-9"), star(chars("a-zA-Z0-9-")), chars("a-zA-Z0-9")),
);
const optionalPort = optional(seq(literal(":"), plus(chars("0-9"))));
const tag = seq(chars("a-zA-Z0-9_"), repeat(chars("a-zA-Z0-9_.-"), 0, 127));
const algorithmComponent = seq(chars("A-Za-z"), star(chars("A-Za-z0-9")));
const digest = seq(
  algorithmComponent,
  star(seq(chars("-_+."), algorithmComponent)),
  literal(":"),
  repeat(chars("0-9A-Fa-f"), 32, Infinity),
);
const ipv6address = seq(literal("["), plus(chars("a-fA-F0-9:")), literal("]"));
const domainName = seq(domainNameComponent, star(seq(literal("."), domainNameComponent)));
const host = alt(domainName, ipv6address);
const domainAndPort = seq(host, optionalPort);
const pathComponent = seq(alphanumeric, star(seq(separator, alphanumeric)));
const remoteName = seq(pathComponent, star(seq(literal("/"), pathComponent)));
const name = seq(optional(seq(domainAndPort, literal("/"))), remoteName);
const reference = seq(name, optional(seq(literal(":"), tag)), optional(seq(literal("@"), digest)));

const START = reference(ACCEPT);

export interface PrefixScan {
  /** How many leading UTF-16 units of the input are a prefix of some valid reference. */
  readonly viableLength: number;
  /** True when the whole input is a valid reference (what `referenceRegexp` matches). */
  readonly complete: boolean;
}

/** Runs the automaton over `input` (callers cap its length first). */
export function scanReferencePrefix(input: string): PrefixScan {
  let frontier = closure([START]);
  for (let offset = 0; offset < input.length; offset++) {
    const code = input.charCodeAt(offset);
    const successors: State[] = [];
    if (code < 128) {
      for (const state of frontier.readers) if (state.accepts[code] === 1) successors.push(state.next);
    }
    if (successors.length === 0) return { viableLength: offset, complete: false };
    frontier = closure(successors);
  }
  return { viableLength: input.length, complete: frontier.accepting };
}

/**
 * The 0-based offset of the first character at which `input` stops being the start of a valid reference,
 * `input.length` when it ends too early, or undefined when it is a complete valid reference.
 */
export function firstBadOffset(input: string): number | undefined {
  const scan = scanReferencePrefix(input);
  if (scan.viableLength < input.length) return scan.viableLength;
  return scan.complete ? undefined : input.length;
}

interface Frontier {
  readonly readers: CharState[];
  readonly accepting: boolean;
}

/** Follows split (epsilon) edges from `states`; collects the states that read a character next. */
function closure(states: State[]): Frontier {
  const seen = new Set<State>();
  const pending = [...states];
  const readers: CharState[] = [];
  let accepting = false;
  for (let state = pending.pop(); state !== undefined; state = pending.pop()) {
    if (seen.has(state)) continue;
    seen.add(state);
    if (state.kind === "char") readers.push(state);
    else if (state.kind === "accept") accepting = true;
    else pending.push(...state.next);
  }
  return { readers, accepting };
}
