// Staff actions on a document in progress: remind the signer whose turn it is, resend a
// link (a new token; the old one dies), correct a recipient's e-mail or phone before they
// sign, cancel with a reason. The board and the document page both call these.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "~db/client";
import type { PartyRole } from "~db/schema";
import { appendAudit, type RequestMeta, type Tx } from "~/audit/audit.server";
import type { StaffUser } from "~/auth/session.server";
import { IN_PROGRESS, moveStage } from "~/documents/lifecycle.server";
import { normalizePhone } from "~/notify/phone";
import { issueSigningLink, queueSigningInvitation } from "./links.server";
import { partyRecipient, queueNotice, senderCompanyName } from "./notices.server";
import { takeRateLimit } from "./rate-limit.server";
import { roleOnTurn } from "./signer.server";

type DocumentRow = typeof schema.documents.$inferSelect;
type PartyRow = typeof schema.parties.$inferSelect;

export type ManageResult = { ok: true } | { ok: false; error: string; field?: string };

/** At most one manual reminder per document in this time. */
export const REMIND_INTERVAL_MS = 60 * 60_000;

function staffAudit(user: StaffUser, meta: RequestMeta) {
  return { companyId: user.companyId, actorType: "user" as const, actorId: user.id, actorLabel: user.email, meta };
}

function reload(tx: Tx, documentId: string) {
  const document = tx.select().from(schema.documents).where(eq(schema.documents.id, documentId)).get();
  const parties = tx.select().from(schema.parties).where(eq(schema.parties.documentId, documentId)).all();
  return { document, parties };
}

/** A new link for the party (the old one dies) and the message carrying it; in the caller's transaction. */
export function reissueLink(tx: Tx, document: DocumentRow, party: PartyRow, kind: "invitation" | "reminder") {
  const expires = document.deadlineAt ?? new Date(Date.now() + 30 * 86_400_000);
  const link = issueSigningLink(tx, party, expires);
  queueSigningInvitation(tx, document, party, link, senderCompanyName(tx, document), kind);
}

function onTurn(document: DocumentRow, parties: PartyRow[]) {
  const role = roleOnTurn(document.stage);
  const party = role ? parties.find((p) => p.role === role) : undefined;
  return party && (party.status === "notified" || party.status === "viewed") && !document.sealPendingSince
    ? party
    : null;
}

/** Reminds the signer whose turn it is (a fresh link); throttled to one per hour per document. */
export function remindSigner(
  user: StaffUser,
  document: DocumentRow,
  meta: RequestMeta,
  now = new Date(),
): ManageResult {
  return getDb().transaction((tx): ManageResult => {
    const { document: current, parties } = reload(tx, document.id);
    if (!current || !IN_PROGRESS.includes(current.stage))
      return { ok: false, error: "signing.manage.error.notInProgress" };
    const party = onTurn(current, parties);
    if (!party) return { ok: false, error: "signing.manage.error.notInProgress" };
    if (current.lastRemindedAt && now.getTime() - current.lastRemindedAt.getTime() < REMIND_INTERVAL_MS)
      return { ok: false, error: "signing.manage.error.remindTooSoon" };
    const changed = tx
      .update(schema.documents)
      .set({ lastRemindedAt: now, updatedAt: now })
      .where(and(eq(schema.documents.id, current.id), eq(schema.documents.stage, current.stage)))
      .run();
    if (changed.changes === 0) return { ok: false, error: "signing.manage.error.notInProgress" };
    reissueLink(tx, current, party, "reminder");
    appendAudit(tx, {
      ...staffAudit(user, meta),
      documentId: current.id,
      action: "document.reminded",
      details: { role: party.role, channel: partyRecipient(current, party).channel },
      at: now,
    });
    return { ok: true };
  });
}

/**
 * Sends the party a new link; the old one stops working. Only for the party whose turn it is.
 * Like a reminder, at most once an hour per document (it cuts the signer's current link off and
 * may cost an SMS), except for a link locked after too many codes, which needs a new one.
 */
export function resendLink(
  user: StaffUser,
  document: DocumentRow,
  role: PartyRole,
  meta: RequestMeta,
  now = new Date(),
): ManageResult {
  return getDb().transaction((tx): ManageResult => {
    const { document: current, parties } = reload(tx, document.id);
    if (!current || !IN_PROGRESS.includes(current.stage))
      return { ok: false, error: "signing.manage.error.notInProgress" };
    const party = onTurn(current, parties);
    if (!party || party.role !== role) return { ok: false, error: "signing.manage.error.notTheirTurn" };
    if (!party.linkLockedAt && !takeRateLimit(tx, `link-resend:document:${current.id}`, 1, REMIND_INTERVAL_MS, now))
      return { ok: false, error: "signing.manage.error.resendTooSoon" };
    reissueLink(tx, current, party, "invitation");
    appendAudit(tx, {
      ...staffAudit(user, meta),
      documentId: current.id,
      action: "document.link_resent",
      details: { role, channel: partyRecipient(current, party).channel },
    });
    return { ok: true };
  });
}

export const correctionSchema = z.object({
  email: z.union([z.literal(""), z.string().trim().max(254).email()]).optional(),
  phone: z
    .union([
      z.literal(""),
      z
        .string()
        .trim()
        .max(32)
        .regex(/^\+?[0-9 ()-]{6,31}$/, "error.phone"),
    ])
    .optional(),
});

/**
 * Corrects a recipient's e-mail or phone before they sign. When it is their turn, a new
 * link goes to the corrected address at once (the one sent to the wrong address dies).
 */
export function correctRecipient(
  user: StaffUser,
  document: DocumentRow,
  role: PartyRole,
  contact: { email?: string; phone?: string },
  meta: RequestMeta,
): ManageResult {
  const email = contact.email?.trim();
  const phoneInput = contact.phone?.trim();
  if (email !== undefined && email !== "" && !z.string().email().safeParse(email).success)
    return { ok: false, error: "error.email", field: "email" };
  const phone = phoneInput ? normalizePhone(phoneInput) : phoneInput;
  if (phoneInput && !phone) return { ok: false, error: "error.phone", field: "phone" };
  return getDb().transaction((tx): ManageResult => {
    const { document: current, parties } = reload(tx, document.id);
    if (!current || !(current.stage === "draft" || IN_PROGRESS.includes(current.stage)))
      return { ok: false, error: "signing.manage.error.notInProgress" };
    const party = parties.find((p) => p.role === role);
    if (!party || party.status === "signed" || party.status === "declined")
      return { ok: false, error: "signing.manage.error.alreadySigned" };
    const changes: Partial<PartyRow> = {};
    if (email !== undefined && email !== "" && email !== party.email) changes.email = email;
    if (phone && phone !== party.phone) changes.phone = phone;
    if (role === "company" && changes.phone && !changes.email) {
      /* the director's channel is e-mail; a phone change is still recorded */
    }
    if (Object.keys(changes).length === 0) return { ok: false, error: "signing.manage.error.nothingChanged" };
    const channel = partyRecipient(current, party).channel;
    if (
      (channel === "email" && changes.email === undefined && !party.email) ||
      (channel === "sms" && changes.phone === undefined && !party.phone)
    ) {
      return { ok: false, error: "signing.manage.error.nothingChanged" };
    }
    tx.update(schema.parties)
      .set(changes)
      .where(and(eq(schema.parties.id, party.id), inArray(schema.parties.status, ["waiting", "notified", "viewed"])))
      .run();
    appendAudit(tx, {
      ...staffAudit(user, meta),
      documentId: current.id,
      action: "document.recipient_corrected",
      details: {
        role,
        ...(changes.email ? { emailFrom: party.email, emailTo: changes.email } : {}),
        ...(changes.phone ? { phoneFrom: party.phone, phoneTo: changes.phone } : {}),
      },
    });
    const corrected = { ...party, ...changes };
    const addressChanged = channel === "email" ? changes.email !== undefined : changes.phone !== undefined;
    if (IN_PROGRESS.includes(current.stage) && onTurn(current, [corrected]) && addressChanged) {
      // a fresh start at the new address: new link, terms and code again
      tx.update(schema.parties)
        .set({ termsAcceptedAt: null, codeVerifiedAt: null })
        .where(eq(schema.parties.id, party.id))
        .run();
      reissueLink(tx, current, corrected, "invitation");
    }
    return { ok: true };
  });
}

/** Cancels (voids) a document before it is signed; parties who had a link are told, links show "cancelled". */
export function cancelDocument(
  user: StaffUser,
  document: DocumentRow,
  reason: string,
  meta: RequestMeta,
): ManageResult {
  const trimmed = reason.trim();
  if (!trimmed) return { ok: false, error: "error.required", field: "reason" };
  if (trimmed.length > 500) return { ok: false, error: "error.tooLong", field: "reason" };
  return getDb().transaction((tx): ManageResult => {
    const { document: current, parties } = reload(tx, document.id);
    if (!current || !(current.stage === "draft" || IN_PROGRESS.includes(current.stage)) || current.sealPendingSince)
      return { ok: false, error: "signing.manage.error.notInProgress" };
    const moved = moveStage(
      tx,
      current.id,
      current.stage,
      "cancelled",
      { ...staffAudit(user, meta), action: "document.cancelled", details: { reason: trimmed } },
      { endReason: trimmed, nextReminderAt: null },
    );
    if (!moved) return { ok: false, error: "signing.manage.error.notInProgress" };
    for (const party of parties) {
      if (party.status === "waiting" || !party.tokenHash) continue;
      queueNotice(tx, current, partyRecipient(current, party), {
        subjectKey: "signing.mail.cancelledSubject",
        bodyKeys: ["signing.mail.cancelledBody"],
        smsKey: "signing.sms.cancelled",
        params: { reason: trimmed, company: senderCompanyName(tx, current) },
      });
    }
    return { ok: true };
  });
}
