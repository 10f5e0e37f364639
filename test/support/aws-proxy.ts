// A recording, fault-injecting HTTP proxy in front of moto (or any AWS endpoint the SDK is pointed at): it
// records each request's method, path, service (from the SigV4 credential scope), x-amz-target, access key id,
// whether a session token was sent and the body, then either forwards it or answers with a fault, as AWS's
// JSON protocol does (`{"__type": "...", "message": "..."}` with its status; reference §C.3). A fault can also be
// a stall (no answer at all) to exercise timeouts.
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LOOPBACK } from "./net.js";

export interface RecordedAwsRequest {
  readonly method: string;
  readonly path: string;
  /** `ecr`, `sts`, `iam`: the service of the SigV4 scope; undefined when unsigned (STS web identity). */
  readonly service: string | undefined;
  readonly region: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly target: string | undefined;
  readonly securityToken: string | undefined;
  readonly amzDate: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type AwsFault =
  /** AWS's JSON protocols (ECR): `{"__type","message"}`. */
  | {
      readonly kind: "json";
      readonly status: number;
      readonly type: string;
      readonly message: string;
      readonly headers?: Record<string, string>;
    }
  /** AWS's query protocol (STS, IAM): `<ErrorResponse><Error><Type/><Code/><Message/></Error>...`. */
  | { readonly kind: "query"; readonly status: number; readonly code: string; readonly message: string }
  /** No answer at all (the connection stays open until the client gives up). */
  | { readonly kind: "stall" };

/** Decides per request: undefined forwards it; a fault answers instead. */
export type AwsInterceptor = (request: RecordedAwsRequest, index: number) => AwsFault | undefined;

export interface AwsProxy {
  readonly endpoint: string;
  readonly requests: RecordedAwsRequest[];
  intercept(interceptor: AwsInterceptor | undefined): void;
  stop(): Promise<void>;
}

function scope(headers: IncomingHttpHeaders): { accessKeyId?: string; region?: string; service?: string } {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    headers.authorization ?? "",
  );
  return match ? { accessKeyId: match[1], region: match[2], service: match[3] } : {};
}

/** Starts the proxy on 127.0.0.1:0 in front of `upstream` (http://host:port). */
export async function startAwsProxy(upstream: string): Promise<AwsProxy> {
  const requests: RecordedAwsRequest[] = [];
  let interceptor: AwsInterceptor | undefined;
  const stalled = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const { accessKeyId, region, service } = scope(req.headers);
      const header = (name: string): string | undefined => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const recorded: RecordedAwsRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        service,
        region,
        accessKeyId,
        target: header("x-amz-target"),
        securityToken: header("x-amz-security-token"),
        amzDate: header("x-amz-date"),
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      const fault = interceptor?.(recorded, requests.length - 1);
      if (fault?.kind === "stall") {
        stalled.add(res);
        res.on("close", () => stalled.delete(res));
        return;
      }
      if (fault?.kind === "json") {
        res.writeHead(fault.status, { "content-type": "application/x-amz-json-1.1", ...fault.headers });
        res.end(JSON.stringify({ __type: fault.type, message: fault.message }));
        return;
      }
      if (fault?.kind === "query") {
        res.writeHead(fault.status, { "content-type": "text/xml" });
        res.end(
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
        );
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([name]) => !["host", "connection", "content-length"].includes(name),
        ),
      ) as Record<string, string>;
      fetch(`${upstream}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers,
        ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
      }).then(
        async (answer) => {
          const text = await answer.text();
          res.writeHead(answer.status, {
            "content-type": answer.headers.get("content-type") ?? "text/plain",
          });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    requests,
    intercept(next) {
      interceptor = next;
    },
    async stop() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
