import { invalidInput } from "./reference-error.js";

/**
 * Splits a reference domain "host[:port]" into host and port, like Go's net.SplitHostPort: an IPv6 literal
 * comes back without its brackets ("[::1]:5000" → host "::1", port "5000"). Only the shape is checked (one
 * bracketed literal or at most one ":", a non-empty host, a decimal port as the grammar allows); the host
 * itself is not validated, so parse the reference first. Throws InvalidReferenceError.
 */
export function splitHostPort(domain: string): { host: string; port?: string } {
  if (domain.startsWith("[")) {
    const close = domain.indexOf("]");
    if (close < 0) throw invalidHost(domain, 'an IPv6 address needs a closing "]"', domain.length);
    const host = domain.slice(1, close);
    if (host === "") throw invalidHost(domain, "the IPv6 address is empty", close);
    if (close + 1 === domain.length) return { host };
    if (domain[close + 1] !== ":") throw invalidHost(domain, 'only ":port" may follow "]"', close + 1);
    return withPort(domain, host, close + 2);
  }
  const colon = domain.indexOf(":");
  if (colon < 0) {
    if (domain === "") throw invalidHost(domain, "the host is empty", 0);
    return { host: domain };
  }
  if (colon === 0) throw invalidHost(domain, "the host is empty", 0);
  const secondColon = domain.indexOf(":", colon + 1);
  if (secondColon >= 0) {
    throw invalidHost(domain, "too many colons (write an IPv6 address in brackets)", secondColon);
  }
  return withPort(domain, domain.slice(0, colon), colon + 1);
}

function withPort(domain: string, host: string, portStart: number): { host: string; port: string } {
  const port = domain.slice(portStart);
  const badDigit = port.search(/[^0-9]/);
  if (port === "" || badDigit >= 0) {
    throw invalidHost(domain, "the port must be decimal digits", portStart + Math.max(badDigit, 0));
  }
  return { host, port };
}

function invalidHost(domain: string, problem: string, offset: number) {
  return invalidInput("registry host", domain, problem, offset);
}
