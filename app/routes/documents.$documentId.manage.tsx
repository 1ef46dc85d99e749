// Staff actions on a document being signed: remind, resend, correct, cancel. Action only;
// the forms live in <SigningActions> on the document page (and on the board).
import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { requireStaff } from "~/auth/session.server";
import { findDocument } from "~/documents/documents.server";
import { notFound, readIntent } from "~/http/forms.server";
import { metaOf, safeRedirectPath } from "~/http/request.server";
import { cancelDocument, correctRecipient, remindSigner, resendLink } from "~/signing/manage.server";

const INTENTS = ["remind", "resend", "correct", "cancel"] as const;

export async function loader() {
  notFound();
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const document = findDocument(user, params.documentId ?? "");
  if (!document) notFound();
  const formData = await request.formData();
  const intent = readIntent(formData, INTENTS);
  const meta = metaOf(request, context);
  const role = formData.get("role") === "company" ? "company" : "client";
  const result =
    intent === "remind"
      ? remindSigner(user, document, meta)
      : intent === "resend"
        ? resendLink(user, document, role, meta)
        : intent === "correct"
          ? correctRecipient(
              user,
              document,
              role,
              {
                email: typeof formData.get("email") === "string" ? String(formData.get("email")) : undefined,
                phone: typeof formData.get("phone") === "string" ? String(formData.get("phone")) : undefined,
              },
              meta,
            )
          : cancelDocument(user, document, String(formData.get("reason") ?? ""), meta);
  const back = safeRedirectPath(formData.get("redirectTo"), `/documents/${document.id}`);
  if (!result.ok) {
    const url = new URL(back, "http://x");
    url.searchParams.set("error", result.error);
    url.searchParams.set("failed", intent);
    if (result.field) url.searchParams.set("field", result.field);
    // post/redirect/get also for refusals, so the document page shows them without JS
    if (request.headers.get("Accept")?.includes("application/json")) return json(result, { status: 400 });
    throw redirect(`${url.pathname}${url.search}`);
  }
  const url = new URL(back, "http://x");
  url.searchParams.set("done", intent);
  throw redirect(`${url.pathname}${url.search}`);
}
