// Documents before signing: created from a CRM deal (a template) or an uploaded PDF, with
// their parties and the boxes where stamps and signatures go. The original PDF is fixed
// (and its SHA-256 recorded) once the document is sent.
import crypto from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { getDb, schema } from "~db/client";
import type { DocumentStage, PartyRole } from "~db/schema";
import { appendAudit, type RequestMeta, type Tx } from "~/audit/audit.server";
import { ownedScope } from "~/auth/access.server";
import type { StaffUser } from "~/auth/session.server";
import { newId } from "~/auth/tokens.server";
import { findDeal } from "~/crm/deals.server";
import type { Language } from "~/i18n";
import { inspectPdf } from "~/pdf/inspect.server";
import { deletePagePreviews } from "~/pdf/previews.server";
import { fileStorage } from "~/storage/files.server";
import { totalsByVatRate } from "./money";
import { renderContract, renderInvoice, renderProtocol } from "./templates/index.server";
import type { DocumentSourceData, RenderedDocument, SignatureBox } from "./templates/types";

import { TEMPLATES, type TemplateName } from "./options";
export { TEMPLATES, type TemplateName };
export type DocumentRow = typeof schema.documents.$inferSelect;
export type PartyRow = typeof schema.parties.$inferSelect;
export type BoxRow = typeof schema.boxes.$inferSelect;

const SERIES: Record<DocumentRow["template"], string> = {
  invoice: "FV",
  contract: "UM",
  protocol: "PO",
  upload: "DOK",
};
const renderers = { invoice: renderInvoice, contract: renderContract, protocol: renderProtocol };

export function originalFileKey(documentId: string) {
  return `documents/${documentId}/original.pdf`;
}

export function sha256Hex(bytes: Uint8Array) {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

function userAudit(user: StaffUser, meta: RequestMeta) {
  return { companyId: user.companyId, actorType: "user" as const, actorId: user.id, actorLabel: user.email, meta };
}

/** Next number of a per-company yearly series: FV/2026/0001. Inside the caller's transaction. */
export function nextDocumentNumber(tx: Tx, companyId: string, template: DocumentRow["template"], at = new Date()) {
  const series = SERIES[template];
  const year = at.getUTCFullYear();
  tx.insert(schema.numberSeries).values({ companyId, series, year, last: 0 }).onConflictDoNothing().run();
  const row = tx
    .update(schema.numberSeries)
    .set({ last: sql`${schema.numberSeries.last} + 1` })
    .where(
      and(
        eq(schema.numberSeries.companyId, companyId),
        eq(schema.numberSeries.series, series),
        eq(schema.numberSeries.year, year),
      ),
    )
    .returning({ last: schema.numberSeries.last })
    .get();
  return `${series}/${year}/${String(row!.last).padStart(4, "0")}`;
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Everything a template needs, from the deal and the company profile. */
function sourceDataFromDeal(
  company: typeof schema.companies.$inferSelect,
  deal: NonNullable<ReturnType<typeof findDeal>>,
  number: string,
  template: TemplateName,
  now: Date,
): DocumentSourceData {
  const due = new Date(now.getTime() + 14 * 86_400_000);
  return {
    number,
    title: template === "invoice" ? undefined : deal.deal.title,
    issueDate: isoDate(now),
    saleDate: isoDate(now),
    dueDate: isoDate(due),
    paymentMethod: "transfer",
    seller: {
      name: company.legalName,
      taxId: company.taxId,
      address: company.address,
      bankAccount: company.bankAccount,
      representative: company.directorName,
    },
    buyer: {
      name: deal.client.name,
      taxId: deal.client.taxId,
      address: deal.client.address,
      contactName: deal.contact?.name ?? "",
      contactTitle: deal.contact?.position || undefined,
    },
    items: deal.items.map((item) => ({
      name: item.name,
      unit: item.unit,
      quantityMilli: item.quantityMilli,
      unitNetMinor: item.unitNetMinor,
      vatRateBp: item.vatRateBp,
    })),
    currency: deal.deal.currency,
    vatExemptionBasis: deal.items.some((i) => i.vatRateBp === -1) ? "art. 43 ust. 1 ustawy o VAT" : undefined,
    contract:
      template === "contract"
        ? { subject: deal.deal.title, startDate: isoDate(now), paymentDays: 14, noticeDays: 30 }
        : undefined,
    protocol: template === "protocol" ? { acceptanceDate: isoDate(now), result: "accepted" } : undefined,
  };
}

function getCompanyRow(companyId: string) {
  return getDb().select().from(schema.companies).where(eq(schema.companies.id, companyId)).get()!;
}

function insertBoxes(tx: Tx, documentId: string, boxes: SignatureBox[]) {
  if (boxes.length === 0) return;
  tx.insert(schema.boxes)
    .values(
      boxes.map((box) => ({
        id: newId(),
        documentId,
        partyRole: box.partyRole,
        kind: box.kind,
        page: box.page,
        x: Math.round(box.x),
        y: Math.round(box.y),
        width: Math.round(box.width),
        height: Math.round(box.height),
      })),
    )
    .run();
}

/** Default boxes for an uploaded PDF: both parties' signature and stamp at the bottom of the last page. */
export function defaultUploadBoxes(pageSizes: [number, number][]): SignatureBox[] {
  const page = pageSizes.length;
  const [width] = pageSizes[page - 1];
  const boxWidth = Math.min(150, Math.floor((width - 80) / 4));
  const y = 40;
  return [
    { partyRole: "company", kind: "signature", page, x: 30, y, width: boxWidth, height: 50 },
    { partyRole: "company", kind: "stamp", page, x: 30 + boxWidth + 10, y, width: boxWidth, height: 50 },
    { partyRole: "client", kind: "signature", page, x: Math.round(width / 2) + 10, y, width: boxWidth, height: 50 },
    {
      partyRole: "client",
      kind: "stamp",
      page,
      x: Math.round(width / 2) + 20 + boxWidth,
      y,
      width: boxWidth,
      height: 50,
    },
  ];
}

interface PartySeed {
  role: PartyRole;
  name: string;
  email: string;
  phone: string;
  position: string;
  companyName: string;
  taxId: string;
}

function insertParties(tx: Tx, documentId: string, parties: PartySeed[]) {
  tx.insert(schema.parties)
    .values(
      parties.map((party) => ({
        id: newId(),
        documentId,
        signingOrder: party.role === "company" ? 1 : 2,
        ...party,
      })),
    )
    .run();
}

function companyParty(company: typeof schema.companies.$inferSelect): PartySeed {
  return {
    role: "company",
    name: company.directorName,
    email: company.directorEmail,
    phone: company.directorPhone,
    position: "",
    companyName: company.legalName,
    taxId: company.taxId,
  };
}

async function renderFromDeal(
  template: TemplateName,
  language: Language,
  data: DocumentSourceData,
): Promise<RenderedDocument> {
  return renderers[template](data, language);
}

/** Creates a draft from a deal with a template; returns the document id, or null when the deal is out of scope. */
export async function createDocumentFromDeal(
  user: StaffUser,
  dealId: string,
  template: TemplateName,
  language: Language,
  meta: RequestMeta,
) {
  const deal = findDeal(user, dealId);
  if (!deal) return null;
  const company = getCompanyRow(user.companyId);
  const id = newId();
  const now = new Date();
  // The number is reserved first, so that the PDF can carry it; a failed render leaves a gap,
  // which is allowed for drafts (the number is only final once the document is sent).
  const number = getDb().transaction((tx) => nextDocumentNumber(tx, user.companyId, template, now));
  const rendered = await renderFromDeal(template, language, sourceDataFromDeal(company, deal, number, template, now));
  await fileStorage().put(originalFileKey(id), rendered.pdf);
  const totals = totalsByVatRate(deal.items);
  getDb().transaction((tx) => {
    tx.insert(schema.documents)
      .values({
        id,
        companyId: user.companyId,
        ownerId: user.id,
        teamId: user.teamId,
        dealId: deal.deal.id,
        clientId: deal.client.id,
        publicId: crypto.randomBytes(12).toString("base64url"),
        number,
        title: deal.deal.title,
        template,
        language,
        stage: "draft",
        stageChangedAt: now,
        clientName: deal.client.name,
        amountMinor: totals.grossMinor,
        currency: deal.deal.currency,
        originalFileKey: originalFileKey(id),
        originalSha256: sha256Hex(rendered.pdf),
        pageSizes: JSON.stringify(rendered.pageSizes),
        clientRequiredFields: JSON.stringify(["fullName", "position"]),
      })
      .run();
    insertParties(tx, id, [
      companyParty(company),
      {
        role: "client",
        name: deal.contact?.name ?? "",
        email: deal.contact?.email ?? "",
        phone: deal.contact?.phone ?? "",
        position: deal.contact?.position ?? "",
        companyName: deal.client.name,
        taxId: deal.client.taxId,
      },
    ]);
    insertBoxes(tx, id, rendered.boxes);
    appendAudit(tx, {
      ...userAudit(user, meta),
      documentId: id,
      action: "document.created",
      details: { source: "deal", template, language, number, sha256: sha256Hex(rendered.pdf) },
    });
  });
  return id;
}

/** Renders the draft again from the deal's current data (after the deal was edited). */
export async function regenerateFromDeal(user: StaffUser, document: DocumentRow, meta: RequestMeta): Promise<boolean> {
  if (document.stage !== "draft" || document.template === "upload" || !document.dealId) return false;
  const deal = findDeal(user, document.dealId);
  if (!deal) return false;
  const company = getCompanyRow(user.companyId);
  const rendered = await renderFromDeal(
    document.template,
    document.language,
    sourceDataFromDeal(company, deal, document.number, document.template, new Date()),
  );
  const oldPages = (JSON.parse(document.pageSizes) as unknown[]).length;
  await fileStorage().put(document.originalFileKey, rendered.pdf);
  await deletePagePreviews(document.originalFileKey, oldPages);
  const totals = totalsByVatRate(deal.items);
  getDb().transaction((tx) => {
    tx.update(schema.documents)
      .set({
        originalSha256: sha256Hex(rendered.pdf),
        pageSizes: JSON.stringify(rendered.pageSizes),
        amountMinor: totals.grossMinor,
        currency: deal.deal.currency,
        clientName: deal.client.name,
        updatedAt: new Date(),
      })
      .where(eq(schema.documents.id, document.id))
      .run();
    tx.delete(schema.boxes).where(eq(schema.boxes.documentId, document.id)).run();
    insertBoxes(tx, document.id, rendered.boxes);
    appendAudit(tx, {
      ...userAudit(user, meta),
      documentId: document.id,
      action: "document.regenerated",
      details: { sha256: sha256Hex(rendered.pdf) },
    });
  });
  return true;
}

export type UploadResult = { ok: true; id: string } | { ok: false; error: string };

/** Creates a draft from an uploaded PDF, judged by its content (inspectPdf). */
export async function createDocumentFromUpload(
  user: StaffUser,
  input: {
    bytes: Uint8Array;
    title: string;
    language: Language;
    client?: { id: string; name: string; taxId: string } | null;
    contact?: { name: string; email: string; phone: string; position: string } | null;
  },
  meta: RequestMeta,
): Promise<UploadResult> {
  const inspection = await inspectPdf(input.bytes);
  if (!inspection.ok) return { ok: false, error: inspection.error };
  const company = getCompanyRow(user.companyId);
  const id = newId();
  const now = new Date();
  await fileStorage().put(originalFileKey(id), input.bytes);
  const sha256 = sha256Hex(input.bytes);
  getDb().transaction((tx) => {
    const number = nextDocumentNumber(tx, user.companyId, "upload", now);
    tx.insert(schema.documents)
      .values({
        id,
        companyId: user.companyId,
        ownerId: user.id,
        teamId: user.teamId,
        clientId: input.client?.id ?? null,
        publicId: crypto.randomBytes(12).toString("base64url"),
        number,
        title: input.title,
        template: "upload",
        language: input.language,
        stage: "draft",
        stageChangedAt: now,
        clientName: input.client?.name ?? "",
        originalFileKey: originalFileKey(id),
        originalSha256: sha256,
        pageSizes: JSON.stringify(inspection.pageSizes),
        clientRequiredFields: JSON.stringify(["fullName", "position"]),
      })
      .run();
    insertParties(tx, id, [
      companyParty(company),
      {
        role: "client",
        name: input.contact?.name ?? "",
        email: input.contact?.email ?? "",
        phone: input.contact?.phone ?? "",
        position: input.contact?.position ?? "",
        companyName: input.client?.name ?? "",
        taxId: input.client?.taxId ?? "",
      },
    ]);
    insertBoxes(tx, id, defaultUploadBoxes(inspection.pageSizes));
    appendAudit(tx, {
      ...userAudit(user, meta),
      documentId: id,
      action: "document.created",
      details: { source: "upload", number, pages: inspection.pageCount, sha256 },
    });
  });
  return { ok: true, id };
}

/** The document if the user may see it (role and company scope), else null. */
export function findDocument(user: StaffUser, id: string): DocumentRow | null {
  return (
    getDb()
      .select()
      .from(schema.documents)
      .where(and(eq(schema.documents.id, id), ownedScope(user, schema.documents)))
      .get() ?? null
  );
}

export function ownerNameOf(document: Pick<DocumentRow, "ownerId">): string {
  return (
    getDb().select({ name: schema.users.name }).from(schema.users).where(eq(schema.users.id, document.ownerId)).get()
      ?.name ?? ""
  );
}

export function documentParties(documentId: string): PartyRow[] {
  return getDb()
    .select()
    .from(schema.parties)
    .where(eq(schema.parties.documentId, documentId))
    .orderBy(asc(schema.parties.signingOrder))
    .all();
}

export function documentBoxes(documentId: string): BoxRow[] {
  return getDb()
    .select()
    .from(schema.boxes)
    .where(eq(schema.boxes.documentId, documentId))
    .orderBy(asc(schema.boxes.page), asc(schema.boxes.partyRole), asc(schema.boxes.kind))
    .all();
}

export function pageSizesOf(document: Pick<DocumentRow, "pageSizes">): [number, number][] {
  return JSON.parse(document.pageSizes) as [number, number][];
}

export interface PartyDetails {
  name: string;
  email: string;
  phone: string;
  position: string;
  companyName: string;
  taxId: string;
}

/** Edits a party's details for this document only (draft only). */
export function updateParty(
  user: StaffUser,
  document: DocumentRow,
  role: PartyRole,
  details: PartyDetails,
  meta: RequestMeta,
) {
  if (document.stage !== "draft") return false;
  getDb().transaction((tx) => {
    tx.update(schema.parties)
      .set(details)
      .where(and(eq(schema.parties.documentId, document.id), eq(schema.parties.role, role)))
      .run();
    if (role === "client")
      tx.update(schema.documents)
        .set({ clientName: details.companyName || details.name, updatedAt: new Date() })
        .where(eq(schema.documents.id, document.id))
        .run();
    appendAudit(tx, {
      ...userAudit(user, meta),
      documentId: document.id,
      action: "document.party_edited",
      details: { role },
    });
  });
  return true;
}

export interface BoxInput {
  partyRole: PartyRole;
  kind: "signature" | "stamp";
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const BOX_DEFAULT_SIZE = { signature: [150, 50], stamp: [110, 70] } as const;

/** i18n key of what is wrong with a box, or null. */
export function boxProblem(document: DocumentRow, box: BoxInput): string | null {
  const sizes = pageSizesOf(document);
  if (!Number.isInteger(box.page) || box.page < 1 || box.page > sizes.length) return "documents.error.boxPage";
  const [width, height] = sizes[box.page - 1];
  if (![box.x, box.y, box.width, box.height].every(Number.isFinite)) return "documents.error.boxOutside";
  if (box.width < 20 || box.height < 15 || box.width > width || box.height > height) return "documents.error.boxSize";
  if (box.x < 0 || box.y < 0 || box.x + box.width > width || box.y + box.height > height)
    return "documents.error.boxOutside";
  return null;
}

export type BoxChange = { ok: true } | { ok: false; error: string };

export function addBox(user: StaffUser, document: DocumentRow, box: BoxInput, meta: RequestMeta): BoxChange {
  if (document.stage !== "draft") return { ok: false, error: "documents.error.notDraft" };
  const parties = documentParties(document.id);
  if (!parties.some((p) => p.role === box.partyRole)) return { ok: false, error: "documents.error.boxParty" };
  const problem = boxProblem(document, box);
  if (problem) return { ok: false, error: problem };
  getDb().transaction((tx) => {
    insertBoxes(tx, document.id, [box]);
    appendAudit(tx, {
      ...userAudit(user, meta),
      documentId: document.id,
      action: "document.box_added",
      details: { ...box },
    });
  });
  return { ok: true };
}

export function updateBox(
  user: StaffUser,
  document: DocumentRow,
  boxId: string,
  box: BoxInput,
  meta: RequestMeta,
): BoxChange {
  if (document.stage !== "draft") return { ok: false, error: "documents.error.notDraft" };
  const existing = getDb()
    .select()
    .from(schema.boxes)
    .where(and(eq(schema.boxes.id, boxId), eq(schema.boxes.documentId, document.id)))
    .get();
  if (!existing) return { ok: false, error: "documents.error.boxMissing" };
  const problem = boxProblem(document, box);
  if (problem) return { ok: false, error: problem };
  getDb().transaction((tx) => {
    tx.update(schema.boxes)
      .set({
        page: box.page,
        x: Math.round(box.x),
        y: Math.round(box.y),
        width: Math.round(box.width),
        height: Math.round(box.height),
      })
      .where(eq(schema.boxes.id, boxId))
      .run();
    appendAudit(tx, {
      ...userAudit(user, meta),
      documentId: document.id,
      action: "document.box_moved",
      details: { boxId, ...box },
    });
  });
  return { ok: true };
}

export function removeBox(user: StaffUser, document: DocumentRow, boxId: string, meta: RequestMeta): BoxChange {
  if (document.stage !== "draft") return { ok: false, error: "documents.error.notDraft" };
  const removed = getDb().transaction((tx) => {
    const result = tx
      .delete(schema.boxes)
      .where(and(eq(schema.boxes.id, boxId), eq(schema.boxes.documentId, document.id)))
      .run();
    if (result.changes > 0)
      appendAudit(tx, {
        ...userAudit(user, meta),
        documentId: document.id,
        action: "document.box_removed",
        details: { boxId },
      });
    return result.changes > 0;
  });
  return removed ? { ok: true } : { ok: false, error: "documents.error.boxMissing" };
}

export const stageOrder: DocumentStage[] = [
  "draft",
  "company_signing",
  "client_signing",
  "signed",
  "archived",
  "declined",
  "expired",
  "cancelled",
];
