// An Azure Container Registry on one loopback host, as clients see ACR: `/v2/…` served by a real Debian
// docker-registry (token auth), `/oauth2/exchange` and `/oauth2/token` (the realm) by the project's token
// server in ACR mode, behind one https front (the login server). The refresh token the exchange mints is what
// docker-registry, skopeo and containerd's CRI accept with username 00000000-0000-0000-0000-000000000000.
import { readFileSync } from "node:fs";
import { createServer, request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { LOOPBACK } from "./net.js";
import { buildImage } from "./oci-image.js";
import { startRegistry } from "./registry.js";
import type { Registry } from "./registry.js";
import { pushImageOrThrow } from "./skopeo.js";
import type { Pki, SigningKey } from "./tls.js";
import { startTokenServer } from "./token-server.js";
import type { AcrOptions, TokenServer } from "./token-server.js";

export const ACR_APP_REPO = "team/app";
export const ACR_TAG = "1.0";
const PUSHER = { username: "acr-admin", password: "acr-admin-password" };

export interface FrontRequest {
  method: string;
  path: string;
  status: number;
  /** Which component answered. */
  upstream: "registry" | "token-server";
}

export interface AcrRegistry {
  /** `127.0.0.1:PORT`: the login server (`service`, image host, CRI server_address host). */
  host: string;
  url: string;
  caFile: string;
  certDir: string;
  tokenServer: TokenServer;
  registry: Registry;
  /** `<host>/team/app:1.0`, pushed at start. */
  image: string;
  /** Requests the front passed on (paths only). */
  requests(): FrontRequest[];
  stop(): Promise<void>;
}

export async function startAcrRegistry(options: {
  dir: string;
  pki: Pki;
  signing: SigningKey;
  acr: AcrOptions;
}): Promise<AcrRegistry> {
  const ca = readFileSync(options.pki.caFile);
  const log: FrontRequest[] = [];
  let upstreams: { registry: number; tokenServer: number } | undefined;

  const front = createServer(
    { cert: readFileSync(options.pki.serverCertFile), key: readFileSync(options.pki.serverKeyFile) },
    (req, res) => {
      const path = req.url ?? "/";
      const upstream = path.startsWith("/oauth2/") ? "token-server" : "registry";
      const entry: FrontRequest = {
        method: req.method ?? "",
        path: path.split("?")[0] ?? "",
        status: 0,
        upstream,
      };
      log.push(entry);
      if (!upstreams) {
        res.writeHead(503).end();
        return;
      }
      const up = httpsRequest(
        {
          host: LOOPBACK,
          port: upstream === "registry" ? upstreams.registry : upstreams.tokenServer,
          method: req.method,
          path,
          headers: req.headers, // Host stays the front's: the registry builds its Location URLs from it
          ca,
        },
        (answer) => {
          entry.status = answer.statusCode ?? 0;
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      up.on("error", () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(up);
    },
  );
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(0, LOOPBACK, () => resolve());
  });
  const host = `${LOOPBACK}:${(front.address() as AddressInfo).port}`;
  const url = `https://${host}`;
  const stopFront = (): Promise<void> =>
    new Promise<void>((resolve) => {
      front.close(() => resolve());
      front.closeAllConnections();
    });

  let tokenServer: TokenServer | undefined;
  let registry: Registry | undefined;
  try {
    tokenServer = await startTokenServer({
      tlsCertFile: options.pki.serverCertFile,
      tlsKeyFile: options.pki.serverKeyFile,
      signing: options.signing,
      issuer: "Azure Container Registry",
      service: host,
      users: [PUSHER],
      acr: options.acr,
    });
    // ACR's realm is the login server's own /oauth2/token.
    registry = await startRegistry({
      auth: "token",
      tls: true,
      pki: options.pki,
      token: { ...tokenServer, realm: `${url}/oauth2/token` },
    });
    upstreams = { registry: registry.port, tokenServer: tokenServer.port };
    const app = buildImage(join(options.dir, "oci-acr-app"), {
      tag: ACR_TAG,
      files: { "hello.txt": "hello from an ACR image\n" },
    });
    const image = `${host}/${ACR_APP_REPO}:${ACR_TAG}`;
    await pushImageOrThrow(app.ref, image, { creds: PUSHER, certDir: options.pki.certDir });
    const started = { tokenServer, registry };
    return {
      host,
      url,
      caFile: options.pki.caFile,
      certDir: options.pki.certDir,
      tokenServer,
      registry,
      image,
      requests: () => [...log],
      async stop() {
        await started.registry.stop();
        await started.tokenServer.stop();
        await stopFront();
      },
    };
  } catch (error) {
    await registry?.stop().catch(() => {});
    await tokenServer?.stop().catch(() => {});
    await stopFront();
    throw error;
  }
}
