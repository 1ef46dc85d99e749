// Same-origin check for state-changing requests. Pure, so server.ts and tests share it.

function originOf(value: string | undefined) {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

export function isSameOriginRequest(
  origin: string | undefined,
  referer: string | undefined,
  host: string | undefined,
  publicUrl: string | undefined,
) {
  const claimed = originOf(origin) ?? (origin === undefined ? originOf(referer) : null);
  if (!claimed) return false;
  const allowed = new Set<string>();
  if (host) {
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  const configured = originOf(publicUrl);
  if (configured) allowed.add(configured);
  return allowed.has(claimed);
}

/** Pages whose URL carries a secret token; they are served with Referrer-Policy: no-referrer. */
export const TOKEN_PATHS = /^\/(s|dl|invitation)\//;

/**
 * The check server.ts applies to every state-changing request. Pages under no-referrer (the
 * token pages) make browsers send `Origin: null` with their own form posts: there the browser's
 * `Sec-Fetch-Site: same-origin` tells it came from our page, and a post to a token URL is
 * accepted without it too, since only someone who has the token can address it.
 */
export function isOwnPost(
  request: {
    origin?: string;
    referer?: string;
    host?: string;
    secFetchSite?: string;
    path: string;
  },
  publicUrl: string | undefined,
) {
  if (request.secFetchSite === "same-origin") return true;
  if (request.secFetchSite === "cross-site" || request.secFetchSite === "same-site") return false;
  if (request.origin === "null" && TOKEN_PATHS.test(request.path)) return true;
  return isSameOriginRequest(request.origin, request.referer, request.host, publicUrl);
}
