// A page preview (JPEG) of the signer's own document; only with a confirmed code.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPagePreview } from "~/pdf/previews.server";
import { notFoundResponse, requireSignerSession } from "~/signing/access.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const context = requireSignerSession(request, params.token ?? "");
  const page = Number(params.page);
  const size = new URL(request.url).searchParams.get("size") === "desktop" ? "desktop" : "phone";
  if (!Number.isSafeInteger(page) || page < 1) notFoundResponse();
  const preview = await getPagePreview(context.document.originalFileKey, page, size);
  if (!preview) notFoundResponse();
  return new Response(preview.bytes as unknown as BodyInit, {
    headers: {
      "Content-Type": preview.contentType,
      "Cache-Control": "private, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
