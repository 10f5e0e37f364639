// Docker-config / containers authfiles written by tests (`{"auths":{"<host>":{...}}}`).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Credentials } from "./registry.js";
import { makeScratchDir } from "./scratch.js";

/** Standard padded base64 of `user:password` (the `auth` field). */
export function basicAuth(creds: Credentials): string {
  return Buffer.from(`${creds.username}:${creds.password}`, "utf8").toString("base64");
}

/** The entry kubectl writes: username, password, auth. */
export function authEntry(creds: Credentials): { username: string; password: string; auth: string } {
  return { username: creds.username, password: creds.password, auth: basicAuth(creds) };
}

let dir: string | undefined;
let counter = 0;

/** Writes `content` (an object is JSON-encoded; a string is written as is) to a fresh file; returns its path. */
export function writeAuthfile(content: unknown): string {
  dir ??= makeScratchDir("auth");
  const file = join(dir, `auth-${++counter}.json`);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content), { mode: 0o600 });
  return file;
}
