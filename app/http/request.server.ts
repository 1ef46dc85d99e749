import type { AppLoadContext } from "@remix-run/node";
import type { RequestMeta } from "~/audit/audit.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    clientIp?: string;
  }
}

/** IP and user agent of a request, for the audit log and rate limits. */
export function metaOf(request: Request, context: AppLoadContext): RequestMeta {
  return {
    ip: context.clientIp ?? "",
    userAgent: (request.headers.get("user-agent") ?? "").slice(0, 400),
  };
}

const HERE = "http://signet.invalid";

/**
 * A same-origin path to go back to (after login, after a form); anything else becomes
 * `fallback`. Browsers drop tabs and newlines from URLs and read a backslash as `/`, so a value
 * with control characters or backslashes is never followed, and the path is judged after
 * parsing, as a browser would resolve it. CR or LF would split the Location header: a 400.
 */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof value !== "string" || value === "") return fallback;
  if (/[\r\n]/.test(value)) throw new Response("Bad redirect target", { status: 400 });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (!value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== HERE || path.startsWith("//")) return fallback;
  return path;
}

/** Page number from ?page=, clamped to 1..10000. */
export function pageParam(url: URL) {
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  return Number.isFinite(page) && page >= 1 ? Math.min(page, 10_000) : 1;
}

/** The page number and search text of a list page (?page=, ?q=). */
export function listQuery(request: Request) {
  const url = new URL(request.url);
  return { page: pageParam(url), q: url.searchParams.get("q")?.trim().slice(0, 100) ?? "" };
}
