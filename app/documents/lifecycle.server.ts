// Legal stage transitions. Every move is a compare-and-set on the current stage inside the
// caller's transaction, so two requests racing for the same document cannot both win.
import { and, eq } from "drizzle-orm";
import { schema } from "~db/client";
import type { DocumentStage } from "~db/schema";
import { appendAudit, type AuditInput, type Tx } from "~/audit/audit.server";

export const LEGAL_TRANSITIONS: Record<DocumentStage, readonly DocumentStage[]> = {
  draft: ["company_signing", "cancelled"],
  company_signing: ["client_signing", "declined", "expired", "cancelled"],
  client_signing: ["signed", "declined", "expired", "cancelled"],
  signed: ["archived"],
  archived: ["signed"],
  declined: [],
  expired: [],
  cancelled: [],
};

/** Stages in which signers may still act. */
export const IN_PROGRESS: readonly DocumentStage[] = ["company_signing", "client_signing"];
export const NOT_SIGNED: readonly DocumentStage[] = ["declined", "expired", "cancelled"];

export function isLegalTransition(from: DocumentStage, to: DocumentStage) {
  return LEGAL_TRANSITIONS[from].includes(to);
}

/**
 * Moves a document from `from` to `to` and audits it; returns false (and changes nothing)
 * when the move is illegal or the document is no longer in `from`.
 */
export function moveStage(
  tx: Tx,
  documentId: string,
  from: DocumentStage,
  to: DocumentStage,
  audit: Omit<AuditInput, "documentId" | "action"> & { action?: string },
  extra: Partial<typeof schema.documents.$inferInsert> = {},
): boolean {
  if (!isLegalTransition(from, to)) return false;
  const now = new Date();
  const result = tx
    .update(schema.documents)
    .set({ ...extra, stage: to, stageChangedAt: now, updatedAt: now })
    .where(and(eq(schema.documents.id, documentId), eq(schema.documents.stage, from)))
    .run();
  if (result.changes === 0) return false;
  appendAudit(tx, {
    ...audit,
    documentId,
    action: audit.action ?? `document.${to}`,
    details: { from, to, ...(audit.details ?? {}) },
    at: now,
  });
  return true;
}
