// Request bodies with a hard size limit, and a small multipart/form-data parser for the
// one upload form (a file and a few short text fields). The whole body is needed anyway
// (the verifier hashes the entire file), so it is buffered, never beyond the limit.
import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The body did not arrive in time: too slow overall, or a pause between chunks too long. */
export class BodyTimeoutError extends Error {}

export class BadUploadError extends Error {}

export interface BodyLimits {
  /** Bytes. */
  maxBytes: number;
  /** Whole body, from the first call. */
  totalMs: number;
  /** Longest pause between two chunks. */
  idleMs: number;
}

/**
 * Reads the body, or rejects: BodyTooLargeError as soon as it passes the size limit,
 * BodyTimeoutError when it takes too long or pauses too long. The request is left as it
 * is on rejection (the caller answers, then drains or destroys it).
 */
export function readBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limits.maxBytes)
    return Promise.reject(new BodyTooLargeError(limits.maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | null, body?: Buffer) => {
      if (done) return;
      done = true;
      clearTimeout(total);
      clearTimeout(idle);
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      if (error) {
        chunks.length = 0;
        request.pause();
        reject(error);
      } else resolve(body!);
    };
    const total = setTimeout(
      () => finish(new BodyTimeoutError(`the upload took longer than ${limits.totalMs} ms`)),
      limits.totalMs,
    );
    let idle = setTimeout(
      () => finish(new BodyTimeoutError(`the upload paused for more than ${limits.idleMs} ms`)),
      limits.idleMs,
    );
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return finish(new BodyTooLargeError(limits.maxBytes));
      chunks.push(chunk);
      clearTimeout(idle);
      idle = setTimeout(
        () => finish(new BodyTimeoutError(`the upload paused for more than ${limits.idleMs} ms`)),
        limits.idleMs,
      );
    };
    const onEnd = () => finish(null, Buffer.concat(chunks, size));
    const onError = (error: Error) => finish(error);
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}

export interface MultipartFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface MultipartForm {
  files: Map<string, MultipartFile>;
  fields: Map<string, string>;
}

const MAX_PARTS = 20;
const MAX_FIELD_BYTES = 4096;

export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType)) return null;
  const match = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : null;
}

/** RFC 7578 form data: the first file per field name and short text fields. */
export function parseMultipart(body: Buffer, boundary: string): MultipartForm {
  const form: MultipartForm = { files: new Map(), fields: new Map() };
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  if (position < 0) throw new BadUploadError("no multipart boundary in the body");
  for (let parts = 0; parts < MAX_PARTS; parts++) {
    position += delimiter.length;
    if (body[position] === 45 && body[position + 1] === 45) return form; // "--": the end
    if (body[position] === 13) position++;
    if (body[position] === 10) position++;
    const headerEnd = body.indexOf("\r\n\r\n", position);
    if (headerEnd < 0 || headerEnd - position > 8192) throw new BadUploadError("bad part headers");
    const headers = body.subarray(position, headerEnd).toString("utf8");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerEnd + 4);
    if (next < 0) throw new BadUploadError("unterminated part");
    const data = body.subarray(headerEnd + 4, next);
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
    if (name !== undefined) {
      if (filename !== undefined) {
        if (!form.files.has(name)) form.files.set(name, { filename, contentType, data });
      } else if (data.length <= MAX_FIELD_BYTES && !form.fields.has(name)) {
        form.fields.set(name, data.toString("utf8"));
      }
    }
    position = next + 2;
  }
  return form;
}
