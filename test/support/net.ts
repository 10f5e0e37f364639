// Ports and readiness probes, 127.0.0.1 only.
import { request as httpsRequest } from "node:https";
import { request as httpRequest } from "node:http";
import { createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";

/** A currently free TCP port on 127.0.0.1 (found by binding port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, LOOPBACK, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error("could not get a free port"))));
    });
  });
}

/** Polls `check` until it returns true; throws with `describe()` appended when `timeoutMs` runs out. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  opts: {
    timeoutMs?: number;
    intervalMs?: number;
    describe?: () => string;
    /** Checked before each attempt: a returned reason aborts the wait at once (e.g. "the server exited"). */
    abortIf?: () => string | undefined;
  } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let lastError = "";
  for (;;) {
    const abort = opts.abortIf?.();
    if (abort) {
      const extra = opts.describe?.() ?? "";
      throw new Error(`gave up waiting for ${what}: ${abort}${extra ? `\n${extra}` : ""}`);
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) {
      const extra = opts.describe?.() ?? "";
      throw new Error(
        `timed out waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}${extra ? `\n${extra}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

/** GETs a URL (https with the given CA, or http); resolves with the status code. */
export function httpStatus(
  url: string,
  opts: { ca?: string | Buffer; timeoutMs?: number } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req =
      u.protocol === "https:"
        ? httpsRequest(u, { method: "GET", ca: opts.ca, timeout: opts.timeoutMs ?? 2_000 })
        : httpRequest(u, { method: "GET", timeout: opts.timeoutMs ?? 2_000 });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("timeout", () => req.destroy(new Error(`timeout GET ${url}`)));
    req.on("error", reject);
    req.end();
  });
}
