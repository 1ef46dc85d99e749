// Signing links: a random token per party (only its hash is stored), valid until the
// document's deadline; issuing a new one kills the old one. Also the invitation message.
import { eq } from "drizzle-orm";
import { schema } from "~db/client";
import type { Tx } from "~/audit/audit.server";
import { hashToken, newToken } from "~/auth/tokens.server";
import { config } from "~/config.server";
import { translator, type Language } from "~/i18n";
import { composeEmail } from "~/notify/email.server";
import { queueEmail, queueSms } from "~/notify/outbox.server";

type Document = typeof schema.documents.$inferSelect;
type Party = typeof schema.parties.$inferSelect;

/** A fresh link for the party; returns the URL (the token exists only in it). */
export function issueSigningLink(tx: Tx, party: Party, expiresAt: Date): string {
  const token = newToken();
  tx.update(schema.parties)
    // a new link starts afresh: unlocked, and its first code may go out at once
    .set({ tokenHash: hashToken(token), tokenExpiresAt: expiresAt, linkLockedAt: null, codeSentAt: null })
    .where(eq(schema.parties.id, party.id))
    .run();
  return `${config.publicUrl}/s/${token}`;
}

export function partyChannel(document: Document, party: Party): "email" | "sms" {
  return party.role === "client" ? document.clientChannel : "email";
}

/** Queues "please sign" to the party through their channel, in the caller's transaction. */
export function queueSigningInvitation(
  tx: Tx,
  document: Document,
  party: Party,
  link: string,
  senderCompany: string,
  kind: "invitation" | "reminder" = "invitation",
) {
  const t = translator(document.language as Language);
  const deadline = document.deadlineAt ? document.deadlineAt.toISOString().slice(0, 10) : "";
  // the link is the secret: erased from the outbox once delivered; a retry issues a new one
  const base = {
    companyId: document.companyId,
    documentId: document.id,
    secrets: [link],
    purpose: "signing_link" as const,
    ref: party.id,
  };
  if (partyChannel(document, party) === "sms") {
    queueSms(tx, {
      ...base,
      to: party.phone,
      text: t(kind === "reminder" ? "signing.sms.reminder" : "signing.sms.invitation", {
        company: senderCompany,
        number: document.number,
        link,
      }),
    });
    return;
  }
  const email = composeEmail({
    subject: t(kind === "reminder" ? "signing.mail.reminderSubject" : "signing.mail.invitationSubject", {
      number: document.number,
      company: senderCompany,
    }),
    paragraphs: [
      t("signing.mail.greeting", { name: party.name }),
      t(party.role === "company" ? "signing.mail.bodyDirector" : "signing.mail.bodyClient", {
        company: senderCompany,
        title: document.title,
        number: document.number,
      }),
      deadline ? t("signing.mail.deadline", { date: deadline }) : "",
      t("signing.mail.codeNote"),
    ].filter(Boolean),
    action: { label: t("signing.mail.action"), url: link },
    footer: t("mail.footer"),
  });
  queueEmail(tx, { ...base, to: party.email, ...email });
}
