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
