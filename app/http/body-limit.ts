// Limits on request bodies, enforced by server.ts before any route reads a byte: a declared
// length over the limit is answered at once, a chunked body is cut where it passes the limit.
// Pure Node, so that server.ts and tests share it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Transform, type TransformCallback } from "node:stream";

/** Every body that is not a multipart upload: forms, JSON, anything else. */
export const FORM_BODY_LIMIT = 1024 * 1024;
/** Multipart uploads: the largest file a route accepts (a 25 MB PDF) and room for the form's fields. */
export const MULTIPART_BODY_LIMIT = 26 * 1024 * 1024;
/** How long a refused upload may keep sending after the answer before the connection is cut. */
const LINGER_MS = 2_000;

export function bodyLimitFor(contentType: string | undefined) {
  return /^\s*multipart\/form-data/i.test(contentType ?? "") ? MULTIPART_BODY_LIMIT : FORM_BODY_LIMIT;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** Passes the body through and fails as soon as more than `limit` bytes went by. */
export class BodyLimiter extends Transform {
  received = 0;
  exceeded = false;
  constructor(readonly limit: number) {
    super();
  }
  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.received += chunk.length;
    if (this.received > this.limit) {
      this.exceeded = true;
      callback(new BodyTooLargeError(this.limit));
      return;
    }
    callback(null, chunk);
  }
}

/**
 * Once the answer is out, a request whose body was not read to the end (an upload refused
 * early, a 413) must not keep the browser sending: the connection is half-closed after the
 * answer, what still arrives is thrown away, and the socket is cut shortly after. Browsers
 * then show the answer instead of uploading the rest first.
 */
export function closeUnreadBodies(req: IncomingMessage, res: ServerResponse) {
  res.on("finish", () => {
    if (req.complete) return;
    const socket = req.socket;
    req.resume();
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
}

export function answerTooLarge(res: ServerResponse, limit: number) {
  if (res.headersSent) return;
  const megabytes = Math.round(limit / (1024 * 1024));
  res.statusCode = 413;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Connection", "close");
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too large · Signet</title></head><body><h1>The request is too large</h1><p>Signet accepts at most ${megabytes} MB here. Go back and send less.</p></body></html>`,
  );
}
