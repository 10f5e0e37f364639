// A minimal CRI (runtime.v1) client over a unix socket, standing in for crictl (not packaged in Debian 12):
// PullImage with an AuthConfig is exactly the call kubelet makes with a pull secret's entry.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { fileURLToPath } from "node:url";

export const CRI_PROTO = fileURLToPath(new URL("../../testdata/cri/api.proto", import.meta.url));

/** CRI AuthConfig (field names as on the wire). */
export interface CriAuth {
  username?: string;
  password?: string;
  /** base64 of `user:password`. */
  auth?: string;
  server_address?: string;
  identity_token?: string;
  registry_token?: string;
}

export interface CriImage {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: string;
  username: string;
  pinned: boolean;
}

export interface CriVersion {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}

export type PullResult =
  { ok: true; imageRef: string } | { ok: false; code: number; codeName: string; details: string };

let definitions: protoLoader.PackageDefinition | undefined;
function packageDefinition(): protoLoader.PackageDefinition {
  definitions ??= protoLoader.loadSync(CRI_PROTO, {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return definitions;
}

type Service = "RuntimeService" | "ImageService";

function client(socket: string, service: Service): grpc.Client {
  const def = packageDefinition()[`runtime.v1.${service}`] as grpc.ServiceDefinition;
  const Ctor = grpc.makeClientConstructor(def, `runtime.v1.${service}`);
  const target = socket.startsWith("unix:") ? socket : `unix://${socket}`;
  return new Ctor(target, grpc.credentials.createInsecure());
}

type Unary = (
  req: unknown,
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: grpc.requestCallback<unknown>,
) => void;

/** One unary call on a fresh channel (closed afterwards). Rejects with the grpc ServiceError. */
export function criCall<T>(
  socket: string,
  service: Service,
  method: string,
  request: unknown,
  timeoutMs = 30_000,
): Promise<T> {
  const c = client(socket, service);
  const fn = (c as unknown as Record<string, Unary>)[method];
  if (typeof fn !== "function") {
    c.close();
    return Promise.reject(new Error(`CRI ${service} has no method ${method}`));
  }
  return new Promise<T>((resolve, reject) => {
    fn.call(c, request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      c.close();
      if (err) reject(err);
      else resolve(res as T);
    });
  });
}

function isServiceError(e: unknown): e is grpc.ServiceError {
  return typeof e === "object" && e !== null && "code" in e && "details" in e;
}

export function criVersion(socket: string, timeoutMs = 5_000): Promise<CriVersion> {
  return criCall<CriVersion>(socket, "RuntimeService", "Version", { version: "v1" }, timeoutMs);
}

/** PullImage as kubelet does it. Never throws for a gRPC error: it is returned as {ok:false, code, details}. */
export async function pullImage(
  socket: string,
  image: string,
  auth?: CriAuth,
  timeoutMs = 60_000,
): Promise<PullResult> {
  try {
    const res = await criCall<{ image_ref: string }>(
      socket,
      "ImageService",
      "PullImage",
      { image: { image }, ...(auth ? { auth } : {}) },
      timeoutMs,
    );
    return { ok: true, imageRef: res.image_ref };
  } catch (e) {
    if (isServiceError(e)) {
      return { ok: false, code: e.code, codeName: grpc.status[e.code] ?? String(e.code), details: e.details };
    }
    throw e;
  }
}

/** The image, or null when it is not present on the node. */
export async function imageStatus(socket: string, image: string): Promise<CriImage | null> {
  const res = await criCall<{ image: CriImage | null }>(socket, "ImageService", "ImageStatus", {
    image: { image },
  });
  return res.image && res.image.id ? res.image : null;
}

export async function listImages(socket: string): Promise<CriImage[]> {
  const res = await criCall<{ images: CriImage[] }>(socket, "ImageService", "ListImages", {});
  return res.images;
}

export async function removeImage(socket: string, image: string): Promise<void> {
  await criCall(socket, "ImageService", "RemoveImage", { image: { image } });
}
