// Loading a draft for a wizard step: in scope, and still a draft (else back to its page).
import { redirect } from "@remix-run/node";
import { requireStaff } from "~/auth/session.server";
import { notFound } from "~/http/forms.server";
import { findDocument } from "./documents.server";

export async function requireDraft(request: Request, documentId: string | undefined) {
  const user = await requireStaff(request);
  const document = findDocument(user, documentId ?? "");
  if (!document) notFound();
  if (document.stage !== "draft") throw redirect(`/documents/${document.id}`);
  return { user, document };
}
