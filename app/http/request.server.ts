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

/** A same-site path to go back to after login; anything else becomes fallback. */
export function safeRedirectPath(value: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\"))
    return fallback;
  return value;
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
