// An admin retries a failed message. A message that carried a secret no longer has it (the
// outbox erased it when the message failed for good), and re-sending an old link would be wrong
// anyway: a signing link is issued afresh (the old one dies), a download link too, a staff
// invitation is sent anew; a code is not re-sent (the signer asks for a new one on the page);
// a plain notice goes out again as it is.
import { eq } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import { appendAudit, type RequestMeta } from "~/audit/audit.server";
import { resendInvitation } from "~/auth/accounts.server";
import type { StaffUser } from "~/auth/session.server";
import { IN_PROGRESS } from "~/documents/lifecycle.server";
import { findFailedMessage, markReplaced, retryNotice } from "~/notify/outbox.server";
import { queueDownloadLink } from "./complete.server";
import { reissueLink } from "./manage.server";
import { partyRecipient } from "./notices.server";
import { roleOnTurn } from "./signer.server";

export type RedeliverResult = { ok: true } | { ok: false; error: string; status: 400 | 404 };

export function redeliverFailedMessage(admin: StaffUser, messageId: string, meta: RequestMeta): RedeliverResult {
  const db = getDb();
  const message = findFailedMessage(db, admin.companyId, messageId);
  if (!message) return { ok: false, error: "error.notFound", status: 404 };
  if (message.purpose === "staff_invitation") {
    const sent = message.ref ? resendInvitation(admin, message.ref, meta) : false;
    db.transaction((tx) => markReplaced(tx, message.id));
    return sent ? { ok: true } : { ok: false, error: "outbox.retryGone", status: 400 };
  }
  if (message.purpose === "signing_code") return { ok: false, error: "outbox.codeNoRetry", status: 400 };
  return db.transaction((tx): RedeliverResult => {
    if (message.purpose === "notice")
      return retryNotice(tx, message.id) ? { ok: true } : { ok: false, error: "error.notFound", status: 404 };
    const audit = {
      companyId: admin.companyId,
      actorType: "user" as const,
      actorId: admin.id,
      actorLabel: admin.email,
      meta,
    };
    if (message.purpose === "signing_link") {
      const party = tx
        .select()
        .from(schema.parties)
        .where(eq(schema.parties.id, message.ref ?? ""))
        .get();
      const document = party
        ? tx.select().from(schema.documents).where(eq(schema.documents.id, party.documentId)).get()
        : undefined;
      markReplaced(tx, message.id);
      if (
        !party ||
        !document ||
        document.companyId !== admin.companyId ||
        !IN_PROGRESS.includes(document.stage) ||
        document.sealPendingSince ||
        roleOnTurn(document.stage) !== party.role ||
        (party.status !== "notified" && party.status !== "viewed")
      )
        return { ok: false, error: "outbox.retryGone", status: 400 };
      reissueLink(tx, document, party, "invitation");
      appendAudit(tx, {
        ...audit,
        documentId: document.id,
        action: "document.link_resent",
        details: { role: party.role, channel: partyRecipient(document, party).channel, afterFailedDelivery: true },
      });
      return { ok: true };
    }
    // download_link
    const document = tx
      .select()
      .from(schema.documents)
      .where(eq(schema.documents.id, message.ref ?? ""))
      .get();
    markReplaced(tx, message.id);
    if (
      !document ||
      document.companyId !== admin.companyId ||
      (document.stage !== "signed" && document.stage !== "archived")
    )
      return { ok: false, error: "outbox.retryGone", status: 400 };
    queueDownloadLink(tx, document, { channel: message.channel, address: message.recipient, name: "" });
    appendAudit(tx, {
      ...audit,
      documentId: document.id,
      action: "document.delivered",
      details: { recipients: 1, linkDays: null, afterFailedDelivery: true },
    });
    return { ok: true };
  });
}
