import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/session.server";
import { findDocument } from "~/documents/documents.server";
import { notFound } from "~/http/forms.server";
import { fileStorage } from "~/storage/files.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const document = findDocument(user, params.documentId ?? "");
  if (!document) notFound();
  const bytes = await fileStorage().get(document.originalFileKey);
  if (!bytes) notFound();
  const fileName = `${document.number.replace(/[^A-Za-z0-9._-]+/g, "-")}.pdf`;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
