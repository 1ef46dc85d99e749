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

export function isMultipart(contentType: string | undefined) {
  return /^\s*multipart\/form-data/i.test(contentType ?? "");
}

export function bodyLimitFor(contentType: string | undefined) {
  return isMultipart(contentType) ? MULTIPART_BODY_LIMIT : FORM_BODY_LIMIT;
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
 * early, a 413) is drained, so that the browser finishes sending and reads the answer, and the
 * connection is cut if that takes longer than a moment (a slow link): browsers then show the
 * answer at once instead of uploading the rest first. Without this, the unread body stalls the
 * connection until the server's timeout (a minute), and only then does the browser show it.
 */
export function closeUnreadBodies(req: IncomingMessage, res: ServerResponse) {
  res.on("finish", () => {
    if (req.complete) return;
    const socket = req.socket;
    const cut = setTimeout(() => socket.destroy(), LINGER_MS);
    cut.unref();
    req.once("end", () => clearTimeout(cut));
    req.unpipe();
    req.resume();
  });
}

export function answerTooLarge(res: ServerResponse, limit: number) {
  if (res.headersSent) return;
  const megabytes = Math.round(limit / (1024 * 1024));
  res.statusCode = 413;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too large · Signet</title></head><body><h1>The request is too large</h1><p>Signet accepts at most ${megabytes} MB here. Go back and send less.</p></body></html>`,
  );
}
