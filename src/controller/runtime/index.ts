// The controller's I/O edge: the process (informers, Lease, reconcile passes), metrics, health endpoints.
export { Controller } from "./controller.js";
export type { ControllerOptions } from "./controller.js";
export { startHealthServer } from "./health-server.js";
