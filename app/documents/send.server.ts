// "Send for signing": checks the document is complete, then in one transaction moves it to
// company_signing, fixes the settings, and queues the director's e-mail with their link.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, schema } from "~db/client";
import type { RequestMeta } from "~/audit/audit.server";
import type { StaffUser } from "~/auth/session.server";
import { normalizePhone } from "~/notify/phone";
import { issueSigningLink, queueSigningInvitation } from "~/signing/links.server";
import { fileStorage } from "~/storage/files.server";
import { documentBoxes, documentParties, sha256Hex, type DocumentRow } from "./documents.server";
import { moveStage } from "./lifecycle.server";

import { CLIENT_DATA_FIELDS } from "./options";
export { CLIENT_DATA_FIELDS, type ClientDataField } from "./options";

export const sendSettingsSchema = z.object({
  clientChannel: z.enum(["email", "sms"]),
  clientRequiredFields: z.array(z.enum(CLIENT_DATA_FIELDS)).max(4),
  clientStampRequired: z.boolean(),
  deadlineDays: z.coerce
    .number({ invalid_type_error: "error.number" })
    .int("error.number")
    .min(1, "documents.error.deadline")
    .max(365, "documents.error.deadline"),
  reminderEveryDays: z.coerce
    .number({ invalid_type_error: "error.number" })
    .int("error.number")
    .min(0, "documents.error.reminders")
    .max(30, "documents.error.reminders"),
  reminderMax: z.coerce
    .number({ invalid_type_error: "error.number" })
    .int("error.number")
    .min(0, "documents.error.reminders")
    .max(20, "documents.error.reminders"),
});
export type SendSettings = z.infer<typeof sendSettingsSchema>;

export const DEFAULT_SEND_SETTINGS: SendSettings = {
  clientChannel: "email",
  clientRequiredFields: ["fullName", "position"],
  clientStampRequired: false,
  deadlineDays: 30,
  reminderEveryDays: 2,
  reminderMax: 5,
};

const emailSchema = z.string().email();

/** What stops the document from being sent, as field → i18n key. */
export function sendProblems(document: DocumentRow, settings: SendSettings): Record<string, string> {
  const problems: Record<string, string> = {};
  const parties = documentParties(document.id);
  const boxes = documentBoxes(document.id);
  const director = parties.find((p) => p.role === "company");
  const client = parties.find((p) => p.role === "client");
  if (!director || !director.name || !emailSchema.safeParse(director.email).success)
    problems.director = "documents.error.directorIncomplete";
  if (!client || !client.name) problems.client = "documents.error.clientIncomplete";
  if (client && settings.clientChannel === "email" && !emailSchema.safeParse(client.email).success)
    problems.clientChannel = "documents.error.clientEmail";
  if (client && settings.clientChannel === "sms" && !normalizePhone(client.phone))
    problems.clientChannel = "documents.error.clientPhone";
  if (!boxes.some((b) => b.partyRole === "company" && b.kind === "signature"))
    problems.boxes = "documents.error.directorSignatureBox";
  else if (!boxes.some((b) => b.partyRole === "client" && b.kind === "signature"))
    problems.boxes = "documents.error.clientSignatureBox";
  else if (settings.clientStampRequired && !boxes.some((b) => b.partyRole === "client" && b.kind === "stamp"))
    problems.clientStampRequired = "documents.error.clientStampBox";
  return problems;
}

export type SendResult = { ok: true } | { ok: false; errors: Record<string, string> };

export async function sendForSigning(
  user: StaffUser,
  document: DocumentRow,
  settings: SendSettings,
  meta: RequestMeta,
): Promise<SendResult> {
  if (document.stage !== "draft") return { ok: false, errors: { _form: "documents.error.notDraft" } };
  const problems = sendProblems(document, settings);
  if (Object.keys(problems).length > 0) return { ok: false, errors: problems };
  // hash what is actually stored and sent: from here on the original never changes
  const original = await fileStorage().get(document.originalFileKey);
  if (!original) return { ok: false, errors: { _form: "documents.error.fileMissing" } };
  const sha256 = sha256Hex(original);
  const company = getDb().select().from(schema.companies).where(eq(schema.companies.id, user.companyId)).get()!;
  const now = new Date();
  const deadlineAt = new Date(now.getTime() + settings.deadlineDays * 86_400_000);
  const sent = getDb().transaction((tx) => {
    const moved = moveStage(
      tx,
      document.id,
      "draft",
      "company_signing",
      {
        companyId: user.companyId,
        actorType: "user",
        actorId: user.id,
        actorLabel: user.email,
        meta,
        action: "document.sent",
        details: { sha256, ...settings },
      },
      {
        originalSha256: sha256,
        sentAt: now,
        deadlineAt,
        clientChannel: settings.clientChannel,
        clientRequiredFields: JSON.stringify(settings.clientRequiredFields),
        clientStampRequired: settings.clientStampRequired,
        reminderEveryDays: settings.reminderEveryDays,
        reminderMax: settings.reminderMax,
        remindersSent: 0,
        nextReminderAt:
          settings.reminderEveryDays > 0 && settings.reminderMax > 0
            ? new Date(now.getTime() + settings.reminderEveryDays * 86_400_000)
            : null,
      },
    );
    if (!moved) return false;
    const parties = tx.select().from(schema.parties).where(eq(schema.parties.documentId, document.id)).all();
    for (const party of parties) {
      if (party.role === "client" && settings.clientChannel === "sms") {
        tx.update(schema.parties)
          .set({ phone: normalizePhone(party.phone)! })
          .where(eq(schema.parties.id, party.id))
          .run();
      }
    }
    const director = parties.find((p) => p.role === "company")!;
    const link = issueSigningLink(tx, director, deadlineAt);
    tx.update(schema.parties).set({ status: "notified" }).where(eq(schema.parties.id, director.id)).run();
    const updated = tx.select().from(schema.documents).where(eq(schema.documents.id, document.id)).get()!;
    queueSigningInvitation(tx, updated, director, link, company.legalName);
    return true;
  });
  return sent ? { ok: true } : { ok: false, errors: { _form: "documents.error.notDraft" } };
}
