// The original PDF for the signer to read before signing; only with a confirmed code.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFoundResponse, pdfResponse, requireSignerSession } from "~/signing/access.server";
import { fileStorage } from "~/storage/files.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = requireSignerSession(request, params.token ?? "");
  const bytes = await fileStorage().get(context.document.originalFileKey);
  if (!bytes) notFoundResponse();
  return pdfResponse(bytes, `${context.document.number.replace(/[^A-Za-z0-9_-]+/g, "-")}.pdf`);
}
