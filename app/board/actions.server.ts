// Card actions on the board: archive (signed → archived), restore (archived → signed), copy a
// document that was not signed as a new draft; cancel and remind are the signing flow's own
// (app/signing/manage.server.ts), shared with the document page. Every action first finds
// the document in the user's scope (else 404) and moves only by a legal transition (else 409);
// a refused action changes nothing.
import { fields } from "~/http/forms.server";
import { z } from "zod";
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import type { RequestMeta } from "~/audit/audit.server";
import { appendAudit } from "~/audit/audit.server";
import type { StaffUser } from "~/auth/session.server";
import { newId } from "~/auth/tokens.server";
import {
  documentBoxes,
  documentParties,
  findDocument,
  nextDocumentNumber,
  originalFileKey,
  regenerateFromDeal,
  type DocumentRow,
} from "~/documents/documents.server";
import { IN_PROGRESS, isLegalTransition, moveStage, NOT_SIGNED } from "~/documents/lifecycle.server";
import { cancelDocument, remindSigner } from "~/signing/manage.server";
import { fileStorage } from "~/storage/files.server";

export const CARD_INTENTS = ["remind", "cancel", "archive", "restore", "copy"] as const;
export type CardIntent = (typeof CARD_INTENTS)[number];

export type CardActionResult =
  | { ok: true; notice: string; number: string; documentId: string }
  | { ok: false; status: 404 | 409 | 429; error: string; number?: string };

function userAudit(user: StaffUser, meta: RequestMeta) {
  return { companyId: user.companyId, actorType: "user" as const, actorId: user.id, actorLabel: user.email, meta };
}

const refused = (document: DocumentRow, error = "board.error.illegal"): CardActionResult => ({
  ok: false,
  status: 409,
  error,
  number: document.number,
});

/** Runs one card action for the user; the reason is required for cancel (checked by the route). */
export async function runCardAction(
  user: StaffUser,
  intent: CardIntent,
  documentId: string,
  input: { reason?: string },
  meta: RequestMeta,
): Promise<CardActionResult> {
  const document = findDocument(user, documentId);
  if (!document) return { ok: false, status: 404, error: "board.error.notFound" };
  const done = (notice: string, id = document.id, number = document.number): CardActionResult => ({
    ok: true,
    notice,
    number,
    documentId: id,
  });
  switch (intent) {
    case "archive":
    case "restore": {
      const [from, to] = intent === "archive" ? (["signed", "archived"] as const) : (["archived", "signed"] as const);
      if (document.stage !== from) return refused(document);
      const moved = getDb().transaction((tx) =>
        moveStage(tx, document.id, from, to, { ...userAudit(user, meta), action: `document.${intent}d` }),
      );
      return moved ? done(`board.done.${intent}`) : refused(document);
    }
    case "cancel": {
      if (!isLegalTransition(document.stage, "cancelled")) return refused(document);
      return cancelDocument(user, document, input.reason ?? "", meta).ok
        ? done("board.done.cancel")
        : refused(document);
    }
    case "remind": {
      if (!IN_PROGRESS.includes(document.stage)) return refused(document);
      const result = remindSigner(user, document, meta);
      if (!result.ok && result.error === "signing.manage.error.remindTooSoon")
        return { ok: false, status: 429, error: "board.error.remindedRecently", number: document.number };
      return result.ok ? done("board.done.remind") : refused(document);
    }
    case "copy": {
      if (!NOT_SIGNED.includes(document.stage)) return refused(document);
      const copy = await copyAsDraft(user, document, meta);
      return done("board.done.copy", copy.id, copy.number);
    }
  }
}

/**
 * A new draft from a document that was not signed: a new number, the same original PDF,
 * parties (details only) and boxes. A template document whose deal is still there is rendered
 * again, so that the PDF carries the new number.
 */
export async function copyAsDraft(
  user: StaffUser,
  source: DocumentRow,
  meta: RequestMeta,
): Promise<{ id: string; number: string }> {
  const bytes = await fileStorage().get(source.originalFileKey);
  if (!bytes) throw new Response("The original file is missing", { status: 409 });
  const id = newId();
  await fileStorage().put(originalFileKey(id), bytes);
  const parties = documentParties(source.id);
  const boxes = documentBoxes(source.id);
  const now = new Date();
  const number = getDb().transaction((tx) => {
    const number = nextDocumentNumber(tx, user.companyId, source.template, now);
    tx.insert(schema.documents)
      .values({
        id,
        companyId: source.companyId,
        ownerId: user.id,
        teamId: user.teamId,
        dealId: source.dealId,
        clientId: source.clientId,
        publicId: crypto.randomBytes(12).toString("base64url"),
        number,
        title: source.template === "invoice" && source.title === source.number ? number : source.title,
        template: source.template,
        language: source.language,
        stage: "draft",
        stageChangedAt: now,
        clientName: source.clientName,
        amountMinor: source.amountMinor,
        currency: source.currency,
        originalFileKey: originalFileKey(id),
        originalSha256: source.originalSha256,
        pageSizes: source.pageSizes,
        clientChannel: source.clientChannel,
        clientRequiredFields: source.clientRequiredFields,
        clientStampRequired: source.clientStampRequired,
        reminderEveryDays: source.reminderEveryDays,
        reminderMax: source.reminderMax,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    if (parties.length > 0) {
      tx.insert(schema.parties)
        .values(
          parties.map((p) => ({
            id: newId(),
            documentId: id,
            role: p.role,
            signingOrder: p.signingOrder,
            name: p.name,
            email: p.email,
            phone: p.phone,
            position: p.position,
            companyName: p.companyName,
            taxId: p.taxId,
          })),
        )
        .run();
    }
    if (boxes.length > 0) {
      tx.insert(schema.boxes)
        .values(
          boxes.map((b) => ({
            id: newId(),
            documentId: id,
            partyRole: b.partyRole,
            kind: b.kind,
            page: b.page,
            x: b.x,
            y: b.y,
            width: b.width,
            height: b.height,
          })),
        )
        .run();
    }
    appendAudit(tx, {
      ...userAudit(user, meta),
      documentId: id,
      action: "document.created",
      details: { source: "copy", from: source.id, fromNumber: source.number, number },
    });
    return number;
  });
  if (source.template !== "upload" && source.dealId) {
    const copy = findDocument(user, id);
    if (copy) {
      try {
        await regenerateFromDeal(user, copy, meta);
      } catch {
        // keep the copied PDF: the draft still works and can be regenerated from its page
      }
    }
  }
  return { id, number };
}

/** The cancel form (here, not in the route: route modules also run in the browser). */
export const cancelSchema = z.object({ reason: fields.required(500) });
