import { describe, expect, it } from "vitest";
import { EnvironmentError } from "../errors.js";
import { checkStaticFileAccess } from "./static-file-access.js";

const FILE = 0o100000;

describe("checkStaticFileAccess", () => {
  it("accepts a regular file owned by the plugin's user with mode 0600 or 0400", () => {
    expect(() =>
      checkStaticFileAccess("/etc/p.json", { isFile: true, mode: FILE | 0o600, uid: 0 }, 0),
    ).not.toThrow();
    expect(() =>
      checkStaticFileAccess("/etc/p.json", { isFile: true, mode: FILE | 0o400, uid: 0 }, 0),
    ).not.toThrow();
  });

  it.each<[string, { isFile: boolean; mode: number; uid: number }, RegExp]>([
    [
      "group-readable",
      { isFile: true, mode: FILE | 0o640, uid: 0 },
      /mode 0640 gives group or others access.*chmod 600/,
    ],
    ["world-readable", { isFile: true, mode: FILE | 0o644, uid: 0 }, /mode 0644/],
    ["group-writable", { isFile: true, mode: FILE | 0o620, uid: 0 }, /mode 0620/],
    [
      "owned by another user",
      { isFile: true, mode: FILE | 0o600, uid: 1000 },
      /owned by uid 1000.*chown root:root/,
    ],
    ["a directory", { isFile: false, mode: 0o40700, uid: 0 }, /not a regular file/],
  ])("refuses a file %s", (_what, facts, message) => {
    let caught: unknown;
    try {
      checkStaticFileAccess("/etc/p.json", facts, 0);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    expect((caught as EnvironmentError).code).toBe("E_PROVIDER_STATIC_ACCESS");
    expect(`${(caught as Error).message}; ${(caught as EnvironmentError).hint}`).toMatch(message);
  });
});
