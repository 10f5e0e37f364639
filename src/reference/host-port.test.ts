import { describe, expect, it } from "vitest";
import { InvalidReferenceError } from "../errors.js";
import { splitHostPort } from "./host-port.js";

describe("splitHostPort", () => {
  it.each([
    ["docker.io", { host: "docker.io" }],
    ["localhost:5000", { host: "localhost", port: "5000" }],
    ["127.0.0.1:80", { host: "127.0.0.1", port: "80" }],
    ["Registry.Example.com:443", { host: "Registry.Example.com", port: "443" }],
    ["[::1]", { host: "::1" }],
    ["[::1]:5000", { host: "::1", port: "5000" }],
    ["[2001:db8::1]:75050", { host: "2001:db8::1", port: "75050" }], // the grammar does not range-check ports
  ])("%s", (domain, expected) => {
    expect(splitHostPort(domain)).toEqual(expected);
  });

  it.each([
    ["", 0, /the host is empty/],
    [":5000", 0, /the host is empty/],
    ["host:", 5, /the port must be decimal digits/],
    ["host:http", 5, /the port must be decimal digits/],
    ["host:50x0", 7, /the port must be decimal digits/],
    ["fc00::1", 5, /too many colons/],
    ["[::1", 4, /needs a closing "\]"/],
    ["[]:5000", 1, /the IPv6 address is empty/],
    ["[::1]5000", 5, /only ":port" may follow "\]"/],
    ["[::1]:", 6, /the port must be decimal digits/],
  ])("rejects %j at offset %i", (domain, offset, message) => {
    let error: unknown;
    try {
      splitHostPort(domain);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidReferenceError);
    expect((error as InvalidReferenceError).message).toMatch(message);
    expect((error as InvalidReferenceError).message).toMatch(/^parsing registry host ".*": /);
    expect((error as InvalidReferenceError).position).toEqual({ offset });
  });
});
