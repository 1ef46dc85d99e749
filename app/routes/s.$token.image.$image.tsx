// The signer's own signature or stamp image (and those of parties who already signed), as PNG.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, requireSignerSession } from "~/signing/access.server";
import { fileStorage } from "~/storage/files.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = requireSignerSession(request, params.token ?? "");
  const match = /^(company|client)-(signature|stamp)$/.exec(params.image ?? "");
  if (!match) notFoundResponse();
  const party = context.parties.find((p) => p.role === match[1]);
  if (!party || (party.id !== context.party.id && party.status !== "signed")) notFoundResponse();
  const key = match[2] === "signature" ? party.signatureImageKey : party.stampImageKey;
  const bytes = key ? await fileStorage().get(key) : null;
  if (!bytes) notFoundResponse();
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": "image/png",
      "Cache-Control": "private, max-age=600",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
