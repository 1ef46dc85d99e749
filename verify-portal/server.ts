// The public verification portal: its own node:http server on VERIFY_PORT, no login, no
// JavaScript needed. It reads only the registry (read-only, through db/) and the trusted
// certificates; it imports nothing from app/.
//   GET  /                 upload form
//   POST /verify           result page (multipart: file, optional publicId, lang)
//   GET  /d/<public id>    what the registry holds for a document, and the upload form
//   POST /api/verify       JSON report (multipart field "file", or a raw application/pdf body)
//   GET  /healthz          "ok"
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import {
  applyRegistry,
  DEFAULT_LIMITS,
  unreadableReport,
  type ReaderLimits,
  type RegistryEntry,
  type VerificationReport,
} from "./core";
import { documentPage, formPage, messagePage, resultPage } from "./html";
import { chooseLanguage, isLanguage, translator, type Language, type MessageKey } from "./i18n";
import { BadUploadError, BodyTimeoutError, BodyTooLargeError, boundaryOf, parseMultipart, readBody } from "./multipart";
import { VerifierBusyError, VerifierPool } from "./pool";
import { RegistryReader } from "./registry";
import { TrustStore } from "./trust";

export interface PortalOptions {
  port?: number;
  dataDir?: string;
  host?: string;
  /** Extra trusted PEM files (default: VERIFY_TRUST). */
  trust?: string[];
  /** Uploads per IP per minute (default VERIFY_RATE_LIMIT or 120; 0 = unlimited). */
  rateLimitPerMinute?: number;
  /** Uploads being received or verified at once (each may hold up to 25 MB); more get a 503. */
  maxConcurrentUploads?: number;
  /** Of those, from one address. */
  maxUploadsPerClient?: number;
  /** Worker threads that verify (default VERIFY_WORKERS, else 2-4 by cores). */
  workers?: number;
  /** Received files that may wait for a worker; more get a 503. */
  maxQueuedVerifications?: number;
  /** Hard limit of one verification (the worker is terminated past it). */
  verifyTimeoutMs?: number;
  /** Reader limits (tests use small budgets). */
  limits?: Partial<ReaderLimits>;
  /** How long a whole upload may take to arrive, and the longest pause between its chunks. */
  bodyTimeoutMs?: number;
  bodyIdleTimeoutMs?: number;
  /** Log start-up and errors (default true). */
  log?: boolean;
}

export interface Portal {
  close(): Promise<void>;
  port: number;
}

const MAX_FILE_BYTES = DEFAULT_LIMITS.maxFileBytes;
// Multipart framing and the small text fields around the file.
const MAX_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024;
// After a 413 (or 429, 503) the rest of the upload is read and dropped, so the browser gets
// the page; a client that keeps sending past this, or too slowly, is cut off.
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
const PUBLIC_ID = /^[A-Za-z0-9_-]{1,100}$/;
// A signed PDF is rarely over a few megabytes: two minutes is 1.7 Mbit/s for the largest
// allowed file; a pause of 15 s means the client is gone or stalling on purpose.
const BODY_TIMEOUT_MS = 120_000;
const BODY_IDLE_TIMEOUT_MS = 15_000;

const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perMinute: number) {}

  allow(key: string): boolean {
    if (this.perMinute <= 0) return true;
    const now = Date.now();
    const window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 50_000) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
      return true;
    }
    window.count++;
    return window.count <= this.perMinute;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(key);
  }
}

export async function startPortal(options: PortalOptions = {}): Promise<Portal> {
  const dataDir = path.resolve(options.dataDir ?? process.env.DATA_DIR ?? "./data");
  const trust = options.trust ? new TrustStore(dataDir, options.trust) : TrustStore.fromEnvironment(dataDir);
  const registry = new RegistryReader(dataDir);
  const limiter = new RateLimiter(options.rateLimitPerMinute ?? Number(process.env.VERIFY_RATE_LIMIT ?? 120));
  const maxUploads = options.maxConcurrentUploads ?? 32;
  const maxPerClient = options.maxUploadsPerClient ?? 8;
  const bodyLimits = {
    maxBytes: MAX_BODY_BYTES,
    totalMs: options.bodyTimeoutMs ?? BODY_TIMEOUT_MS,
    idleMs: options.bodyIdleTimeoutMs ?? BODY_IDLE_TIMEOUT_MS,
  };
  const pool = new VerifierPool({
    threads: options.workers,
    maxWaiting: options.maxQueuedVerifications,
    hardTimeoutMs: options.verifyTimeoutMs,
    limits: options.limits,
  });
  const log = options.log ?? true;
  let uploads = 0;
  const uploadsByClient = new Map<string, number>();

  const lookupSha = (sha256: string): RegistryEntry | null => {
    try {
      return registry.bySha256(sha256);
    } catch (error) {
      if (log) console.error("verify-portal: registry lookup failed", error);
      return null;
    }
  };

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://portal.invalid");
    const method = request.method ?? "GET";
    const language = chooseLanguage(url.searchParams.get("lang"), request.headers["accept-language"]);
    const isApi = url.pathname === "/api/verify";

    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      response.writeHead(status, {
        ...SECURITY_HEADERS,
        "Content-Type": type,
        "Content-Length": Buffer.byteLength(body),
        ...extra,
      });
      response.end(method === "HEAD" ? undefined : body);
    };
    const html = (status: number, body: string, extra?: Record<string, string>) =>
      send(status, "text/html; charset=utf-8", body, extra);
    const json = (status: number, body: unknown, extra?: Record<string, string>) =>
      send(status, "application/json; charset=utf-8", JSON.stringify(body), extra);
    const fail = (
      status: number,
      titleKey: MessageKey,
      messageKey: MessageKey,
      code: string,
      extra?: Record<string, string>,
    ) => {
      if (isApi) json(status, { error: code, message: translator("en")(messageKey) }, extra);
      else html(status, messagePage(language, titleKey, messageKey), extra);
    };

    if (method === "GET" || method === "HEAD") {
      if (url.pathname === "/") return html(200, formPage(language));
      if (url.pathname === "/healthz") return send(200, "text/plain; charset=utf-8", "ok\n");
      const documentMatch = /^\/d\/([^/]+)\/?$/.exec(url.pathname);
      if (documentMatch) {
        const publicId = safeDecode(documentMatch[1]);
        const entry = publicId && PUBLIC_ID.test(publicId) ? registry.byPublicId(publicId) : null;
        if (!entry) return html(404, messagePage(language, "registry.unknown.title", "registry.unknown"));
        return html(200, documentPage(entry, language));
      }
      if (url.pathname === "/verify" || isApi)
        return html(405, messagePage(language, "error.title", "error.badrequest"), { Allow: "POST" });
      return html(404, messagePage(language, "error.notfound", "error.notfound"));
    }
    if (method !== "POST" || (url.pathname !== "/verify" && !isApi)) {
      request.resume();
      return html(method === "POST" ? 404 : 405, messagePage(language, "error.notfound", "error.notfound"));
    }

    // ---- uploads: receiving one holds an upload slot, never a verification thread
    const client = clientAddress(request);
    if (!limiter.allow(client)) {
      drain(request, bodyLimits);
      return fail(429, "error.title", "error.ratelimited", "rate-limited", { "Retry-After": "60" });
    }
    const fromClient = uploadsByClient.get(client) ?? 0;
    if (uploads >= maxUploads || fromClient >= maxPerClient) {
      drain(request, bodyLimits);
      return fail(503, "error.title", "error.busy", "busy", { "Retry-After": "5" });
    }
    uploads++;
    uploadsByClient.set(client, fromClient + 1);
    try {
      let body: Buffer;
      try {
        body = await readBody(request, bodyLimits);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          drain(request, bodyLimits);
          return tooLarge();
        }
        if (error instanceof BodyTimeoutError) {
          // Answer, then hang up: a client this slow is not waiting for the rest of the page.
          response.on("finish", () => request.destroy());
          return fail(408, "error.title", "error.slow", "upload-timeout", { Connection: "close" });
        }
        throw error;
      }
      const contentType = request.headers["content-type"];
      let file: { data: Buffer; filename?: string } | undefined;
      let fields = new Map<string, string>();
      if (isApi && /^application\/pdf\b/i.test(contentType ?? "")) file = { data: body };
      else {
        const boundary = boundaryOf(contentType);
        if (!boundary) return fail(400, "error.title", "error.nofile", "missing-file");
        try {
          const form = parseMultipart(body, boundary);
          const part = form.files.get("file");
          if (part) file = { data: part.data, filename: part.filename };
          fields = form.fields;
        } catch (error) {
          if (error instanceof BadUploadError) return fail(400, "error.title", "error.badrequest", "bad-upload");
          throw error;
        }
      }
      const pageLanguage: Language =
        isLanguage(fields.get("lang")) && !url.searchParams.get("lang") ? (fields.get("lang") as Language) : language;
      if (!file || (file.data.length === 0 && !file.filename)) {
        if (isApi) return json(400, { error: "missing-file", message: 'send the PDF in the multipart field "file"' });
        return html(400, messagePage(pageLanguage, "error.title", "error.nofile"));
      }
      if (file.data.length > MAX_FILE_BYTES) return tooLarge();

      let report: VerificationReport;
      try {
        report = await pool.verify(
          new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.length),
          trust.certificates(),
        );
      } catch (error) {
        if (error instanceof VerifierBusyError)
          return fail(503, "error.title", "error.busy", "busy", { "Retry-After": "5" });
        throw error;
      }
      applyRegistry(report, lookupSha);
      if (isApi) return json(200, report);
      const publicId = fields.get("publicId");
      const expected = publicId && PUBLIC_ID.test(publicId) ? registry.byPublicId(publicId) : null;
      return html(200, resultPage(report, pageLanguage, { fileName: file.filename, expected }));
    } finally {
      uploads--;
      const left = (uploadsByClient.get(client) ?? 1) - 1;
      if (left > 0) uploadsByClient.set(client, left);
      else uploadsByClient.delete(client);
    }

    function tooLarge() {
      if (isApi) return json(413, tooLargeReport());
      return html(413, messagePage(language, "error.title", "error.toolarge"));
    }
  }

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (log) console.error("verify-portal: request failed", error);
      if (!response.headersSent) {
        response.writeHead(500, { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8" });
        response.end("Internal error\n");
      } else response.destroy();
    });
  });
  // Node's own bounds behind ours (readBody's total and idle limits come first).
  server.requestTimeout = 5 * 60_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  const requestedPort = options.port ?? Number(process.env.VERIFY_PORT ?? 3001);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(requestedPort, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  if (log)
    console.log(
      `Signet verification portal listening on http://localhost:${port} (trusting ${trust.paths.join(", ")})`,
    );

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          registry.close();
          pool.close().then(resolve, resolve);
        });
        server.closeAllConnections();
      }),
  };
}

/** A 413's report: the file was never read, so it has no size or hash to report. */
function tooLargeReport(): Omit<VerificationReport, "file"> {
  const { file: _unread, ...report } = unreadableReport(
    { size: 0, sha256: "" },
    "too-large",
    `the file is larger than ${MAX_FILE_BYTES / 1048576} MB`,
  );
  return report;
}

/** Reads and drops the rest of a request body, up to a cap and within the body's time limits. */
function drain(request: http.IncomingMessage, limits: { totalMs: number; idleMs: number }): void {
  let drained = 0;
  const stop = () => request.destroy();
  const total = setTimeout(stop, limits.totalMs);
  let idle = setTimeout(stop, limits.idleMs);
  const done = () => {
    clearTimeout(total);
    clearTimeout(idle);
  };
  request.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    clearTimeout(idle);
    idle = setTimeout(stop, limits.idleMs);
    if (drained > MAX_DRAIN_BYTES) stop();
  });
  request.on("end", done);
  request.on("close", done);
  request.resume();
}

function clientAddress(request: http.IncomingMessage): string {
  if (process.env.TRUST_PROXY === "1") {
    const forwarded = request.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? "unknown";
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
