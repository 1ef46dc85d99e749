// Access for the signer's resource routes (page images, their images, the PDFs).
import { findSigningLink, linkState, type LinkState, type SignerContext } from "./signer.server";

export function notFoundResponse(): never {
  throw new Response("Not found", { status: 404, headers: { "Cache-Control": "no-store" } });
}

/** The link's context when the request carries a valid signer session for it; else a 404. */
export function requireSignerSession(request: Request, token: string): SignerContext {
  const state = linkState(findSigningLink(token), request.headers.get("Cookie"), token);
  if (state.kind !== "session") notFoundResponse();
  return state.context;
}

export function signerLinkState(request: Request, token: string): LinkState {
  return linkState(findSigningLink(token), request.headers.get("Cookie"), token);
}

export function pdfResponse(bytes: Uint8Array, filename: string, cache = "private, no-store") {
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": cache,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    },
  });
}
