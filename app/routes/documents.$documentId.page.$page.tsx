import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "~/auth/session.server";
import { findDocument, pageSizesOf } from "~/documents/documents.server";
import { notFound } from "~/http/forms.server";
import { getPagePreview, isPreviewSize } from "~/pdf/previews.server";

// A page preview image (JPEG) of the original, for staff in scope.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const document = findDocument(user, params.documentId ?? "");
  if (!document) notFound();
  const page = Number(params.page);
  const size = new URL(request.url).searchParams.get("size") ?? "phone";
  if (!Number.isInteger(page) || page < 1 || page > pageSizesOf(document).length || !isPreviewSize(size)) notFound();
  const preview = await getPagePreview(document.originalFileKey, page, size);
  if (!preview) notFound();
  return new Response(new Uint8Array(preview.bytes), {
    headers: {
      "Content-Type": preview.contentType,
      // the URL carries the file's hash (?v=), so a regenerated draft gets a new URL
      "Cache-Control": "private, max-age=86400",
    },
  });
}
