// Staff download of the sealed PDF, for anyone who may see the document.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/session.server";
import { findDocument } from "~/documents/documents.server";
import { notFound } from "~/http/forms.server";
import { pdfResponse } from "~/signing/access.server";
import { sealedFileOf } from "~/signing/complete.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const document = findDocument(user, params.documentId ?? "");
  if (!document) notFound();
  const file = await sealedFileOf(document);
  if (!file) notFound();
  return pdfResponse(file.bytes, file.filename);
}
