// The Remix request handler for Express (what @remix-run/express does), with the request body
// read through a limit: a body larger than its limit is a 413 before any route parses it, for
// anyone, signed in or not, and whether its length was declared or not. Every response also
// gets the security headers that depend on it (security-headers.ts).
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import { answerTooLarge, BodyLimiter, bodyLimitFor, BodyTooLargeError, isMultipart } from "./body-limit";
import { finalSecurityHeaders } from "./security-headers";

function remixHeaders(req: ExpressRequest) {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    // `Origin: null` comes with our own form posts from no-referrer pages (signing links); the
    // origin check in server.ts has judged the request already, and Remix's would refuse it
    if (key === "origin" && values === "null") continue;
    for (const value of Array.isArray(values) ? values : [values]) headers.append(key, value);
  }
  return headers;
}

function requestUrl(req: ExpressRequest) {
  // req.hostname honours "trust proxy"; the port comes from X-Forwarded-Host or Host
  const host = req.get("X-Forwarded-Host") ?? req.get("host") ?? "";
  const port = /:(\d+)$/.exec(host)?.[1];
  return `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;
}

async function sendResponse(res: ExpressResponse, response: Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const name of new Set(response.headers.keys())) if (name !== "set-cookie") res.removeHeader(name);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

export function createRemixHandler(build: ServerBuild, mode: string | undefined) {
  const handle = createRequestHandler(build, mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const contentType = req.headers["content-type"];
    const limit = bodyLimitFor(contentType);
    const tooLarge = Number(req.headers["content-length"] ?? 0) > limit;
    // An upload declared too large still reaches its route, which answers with a message next to
    // the file field without reading it; whoever reads such a body gets nothing (a 413).
    if (tooLarge && !isMultipart(contentType)) return answerTooLarge(res, limit);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const limiter = hasBody && !tooLarge ? new BodyLimiter(limit) : undefined;
    let refusedRead = false;
    const refusedBody = new ReadableStream(
      {
        pull(controller) {
          refusedRead = true;
          controller.error(new BodyTooLargeError(limit));
        },
      },
      { highWaterMark: 0 },
    );
    try {
      const controller = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      if (limiter) {
        limiter.on("error", () => controller.abort());
        req.pipe(limiter);
      }
      const request = new Request(requestUrl(req), {
        method: req.method,
        headers: remixHeaders(req),
        signal: controller.signal,
        ...(hasBody ? { body: limiter ? createReadableStreamFromReadable(limiter) : refusedBody, duplex: "half" } : {}),
      } as RequestInit);
      const response = await handle(request, { clientIp: req.ip ?? req.socket.remoteAddress ?? "" });
      if (limiter?.exceeded || refusedRead) return answerTooLarge(res, limit);
      finalSecurityHeaders(req.path, response.headers);
      await sendResponse(res, response);
    } catch (error) {
      if (limiter?.exceeded || refusedRead) return answerTooLarge(res, limit);
      next(error);
    }
  };
}
