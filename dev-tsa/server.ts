// The development TSA over HTTP: POST / takes an application/timestamp-query and answers an
// application/timestamp-reply; GET /crl serves a fresh CRL of its CA; GET /ca.pem its CA.
// DEVELOPMENT ONLY: anyone who can reach it gets tokens; it keeps no log and no serial register.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DevelopmentTsa, type DevelopmentTsaOptions, type TokenOverrides } from "./authority";

export interface RunningDevelopmentTsa {
  url: string;
  crlUrl: string;
  /** PEM file of the development TSA's CA: what TSA_TRUST must list. */
  caFile: string;
  authority: DevelopmentTsa;
  /** Tests only: change what the next answers get wrong. */
  setOverrides(overrides: TokenOverrides | undefined): void;
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 16 * 1024;

export async function startDevelopmentTsa(options: {
  dir: string;
  port?: number;
  host?: string;
  authority?: Omit<DevelopmentTsaOptions, "crlUrl">;
}): Promise<RunningDevelopmentTsa> {
  const host = options.host ?? "127.0.0.1";
  let authority: DevelopmentTsa | undefined;
  let overrides: TokenOverrides | undefined;
  const server = http.createServer((request, response) => {
    if (!authority) return void response.writeHead(503).end();
    const url = new URL(request.url ?? "/", "http://tsa");
    if (request.method === "GET" && url.pathname === "/crl") {
      response.writeHead(200, { "Content-Type": "application/pkix-crl" }).end(authority.crl());
      return;
    }
    if (request.method === "GET" && url.pathname === "/ca.pem") {
      response.writeHead(200, { "Content-Type": "application/x-pem-file" }).end(authority.caPem);
      return;
    }
    if (request.method !== "POST" || url.pathname !== "/") return void response.writeHead(404).end();
    if ((request.headers["content-type"] ?? "").split(";")[0].trim() !== "application/timestamp-query") {
      return void response.writeHead(415).end();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        response.writeHead(413).end();
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => {
      if (response.headersSent) return;
      const answer = authority!.respond(Buffer.concat(chunks), overrides);
      response.writeHead(200, { "Content-Type": "application/timestamp-reply" }).end(answer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  authority = await DevelopmentTsa.open(options.dir, { ...options.authority, crlUrl: `${base}/crl` });
  return {
    url: `${base}/`,
    crlUrl: `${base}/crl`,
    caFile: path.join(options.dir, "ca.pem"),
    authority,
    setOverrides: (value) => {
      overrides = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
