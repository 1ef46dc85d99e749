// Download link for the sealed PDF, sent to every party at completion (valid DOWNLOAD_LINK_DAYS).
// A resource route: the PDF, or a tiny page saying the link is gone.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "~/i18n";
import { chooseLanguage } from "~/i18n/language.server";
import { escapeHtml } from "~/notify/email.server";
import { pdfResponse } from "~/signing/access.server";
import { sealedFileForDownloadLink } from "~/signing/complete.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = await sealedFileForDownloadLink(params.token ?? "");
  if (file) return pdfResponse(file.bytes, file.filename);
  const language = chooseLanguage(request);
  const t = translator(language);
  const title = escapeHtml(t("signing.download.title"));
  const html = `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Signet</title></head><body style="font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem"><h1>${title}</h1><p>${escapeHtml(t("signing.download.gone"))}</p></body></html>`;
  return new Response(html, {
    status: 410,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
