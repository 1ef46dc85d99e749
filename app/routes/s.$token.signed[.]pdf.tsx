// The sealed PDF from a party's signing link, once the document is complete.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, pdfResponse, signerLinkState } from "~/signing/access.server";
import { sealedFileOf } from "~/signing/complete.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const state = signerLinkState(request, params.token ?? "");
  if (state.kind !== "completed") notFoundResponse();
  const file = await sealedFileOf(state.context.document);
  if (!file) notFoundResponse();
  return pdfResponse(file.bytes, file.filename);
}
