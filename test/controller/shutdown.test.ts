// Shutdown is bounded: `pullwarden controller run` (the built CLI) whose every watch the API proxy holds open
// without ever answering (a stall: the request is read, no response headers come) still exits 0 soon after
// SIGTERM. client-node's ListWatch.stop() cannot abort a watch still waiting for its headers; the informer
// destroys that request's agent (src/kube/informer.ts), and the command exits after a deadline whatever holds on.
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { waitUntil } from "../support/net.js";
import { startServer } from "../support/processes.js";
import type { ServerProcess } from "../support/processes.js";
import { REPO_ROOT } from "../support/tools.js";
import { CONTROLLER_NAMESPACE, jsonLogLines, useControllerWorld } from "./harness.js";

const USER = { username: "robot", password: "shutdown-Canary-5" };

const { api } = useControllerWorld({ namespaces: ["team-a"], user: USER, per: "all" });
let controller: ServerProcess | undefined;
// Registered after useControllerWorld's, so it runs before the world and the cluster stop.
afterAll(async () => {
  await controller?.stop(1_000);
});

it("SIGTERM ends the process within seconds while every watch is stalled", async () => {
  api.intercept((request) => (request.verb === "watch" ? "stall" : undefined));
  const started = startServer(
    process.execPath,
    [
      join(REPO_ROOT, "dist/bin/main.js"),
      "controller",
      "run",
      "--kubeconfig",
      api.kubeconfigPath,
      "--namespace",
      CONTROLLER_NAMESPACE,
      "--identity",
      "shutdown-test",
      "--no-leader-elect",
      "--http-address",
      "127.0.0.1:0",
    ],
    { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/nonexistent" } },
  );
  controller = started;
  const describe = () => started.logs().slice(-3000);
  await waitUntil(
    "caches synced and every watch opened (and stalled)",
    () =>
      Promise.resolve(
        jsonLogLines(started).some((l) => l["msg"] === "caches synced") &&
          new Set(
            api
              .requestLog()
              .filter((r) => r.verb === "watch")
              .map((r) => r.resource),
          ).size >= 5,
      ),
    { timeoutMs: 30_000, describe },
  );
  const exited = new Promise<number | null>((resolve) => started.child.once("exit", (code) => resolve(code)));
  const signalledAt = Date.now();
  started.child.kill("SIGTERM");
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 15_000))]);
  expect(code, describe()).toBe(0);
  // Graceful, not the deadline: the stalled watches were torn down.
  expect(Date.now() - signalledAt).toBeLessThan(5_000);
  expect(jsonLogLines(started).map((l) => l["msg"])).toContain("stopped");
  expect(jsonLogLines(started).map((l) => l["msg"])).not.toContain("shutdown deadline passed: exiting");
  expect(started.logs()).not.toContain(USER.password);
}, 90_000);
