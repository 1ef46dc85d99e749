// Headers every response carries, set by server.ts. HTML pages add their own nonce-based
// Content-Security-Policy (entry.server.tsx); anything else gets a policy that only forbids framing.
import type { ServerResponse } from "node:http";
// TOKEN_PATHS: pages whose URL carries a secret token, never cached, never sent on as a Referer
import { TOKEN_PATHS } from "./origin";

export function setSecurityHeaders(res: ServerResponse, path: string, publicUrl: string | undefined) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", TOKEN_PATHS.test(path) ? "no-referrer" : "same-origin");
  if ((publicUrl ?? "").startsWith("https://")) res.setHeader("Strict-Transport-Security", "max-age=31536000");
}

/** Headers decided once the app's response is known: the default policy, no-store on token pages. */
export function finalSecurityHeaders(path: string, headers: Headers) {
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", "frame-ancestors 'none'");
  const type = headers.get("Content-Type") ?? "";
  if (TOKEN_PATHS.test(path) && (type.startsWith("text/html") || type.startsWith("application/json")))
    headers.set("Cache-Control", "no-store");
  if (TOKEN_PATHS.test(path)) headers.set("Referrer-Policy", "no-referrer");
}

/** The policy of an HTML page: scripts only from us or inline with this response's nonce. */
export function pageContentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    // page previews place boxes with style attributes
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}
