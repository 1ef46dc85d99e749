// Messages the signing flow sends besides the invitation (links.server.ts): codes, "declined",
// "cancelled", "expired", "signed", always through the outbox, in the caller's transaction.
import { eq } from "drizzle-orm";
import { schema } from "~db/client";
import type { Tx } from "~/audit/audit.server";
import { translator, type Language } from "~/i18n";
import { composeEmail } from "~/notify/email.server";
import { queueEmail, queueSms, type MessagePurpose } from "~/notify/outbox.server";
import { partyChannel } from "./links.server";

type Document = typeof schema.documents.$inferSelect;
type Party = typeof schema.parties.$inferSelect;

export interface Recipient {
  channel: "email" | "sms";
  address: string;
  name: string;
}

export function partyRecipient(document: Document, party: Party): Recipient {
  const channel = partyChannel(document, party);
  return { channel, address: channel === "sms" ? party.phone : party.email, name: party.name };
}

export function ownerRecipient(tx: Tx, document: Document): Recipient | null {
  const owner = tx.select().from(schema.users).where(eq(schema.users.id, document.ownerId)).get();
  return owner ? { channel: "email", address: owner.email, name: owner.name } : null;
}

export function senderCompanyName(tx: Tx, document: Document) {
  return (
    tx
      .select({ name: schema.companies.legalName })
      .from(schema.companies)
      .where(eq(schema.companies.id, document.companyId))
      .get()?.name ?? ""
  );
}

/** One notice: an e-mail (subject, paragraphs, optional button) or its short SMS form. */
export function queueNotice(
  tx: Tx,
  document: Document,
  to: Recipient,
  notice: {
    subjectKey: string;
    bodyKeys: string[];
    smsKey: string;
    params: Record<string, string | number>;
    link?: { labelKey: string; url: string };
    /** what the secrets (the link, a code) are for, so that a failed message can be issued afresh */
    purpose?: MessagePurpose;
    ref?: string;
    secrets?: string[];
  },
) {
  if (!to.address) return;
  const t = translator(document.language as Language);
  const params = { number: document.number, title: document.title, name: to.name, ...notice.params };
  const base = {
    companyId: document.companyId,
    documentId: document.id,
    secrets: [...(notice.link ? [notice.link.url] : []), ...(notice.secrets ?? [])],
    purpose: notice.purpose,
    ref: notice.ref,
  };
  if (to.channel === "sms") {
    queueSms(tx, { ...base, to: to.address, text: t(notice.smsKey, { ...params, link: notice.link?.url ?? "" }) });
    return;
  }
  const email = composeEmail({
    subject: t(notice.subjectKey, params),
    paragraphs: [t("signing.mail.greeting", params), ...notice.bodyKeys.map((key) => t(key, params))],
    action: notice.link ? { label: t(notice.link.labelKey), url: notice.link.url } : undefined,
    footer: t("mail.footer"),
  });
  queueEmail(tx, { ...base, to: to.address, ...email });
}
