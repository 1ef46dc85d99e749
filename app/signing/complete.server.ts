// Completion: once every party signed, the document is finished and sealed.
// 1. the transaction where the last party signs sets documents.sealPendingSince;
// 2. sealDocument (outside any transaction) draws the images and data into the boxes, puts
//    a grey stripe with the number and "page n of m" on every page, appends the audit page
//    with a QR code to the portal, and seals the result (PAdES B-B, seal.server.ts);
// 3. a second transaction (compare-and-set on stage and sealPendingSince) stores the file,
//    writes the registry row, moves the document to `signed` and queues a download link
//    for every party and the owner.
// A crash between 1 and 3 leaves sealPendingSince set: the signing worker seals it later.
import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import pdfLib from "pdf-lib";
import type { PDFDocument as PDFDocumentType, PDFFont, PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import { getDb, schema } from "~db/client";
import { appendAudit, checkDocumentChain, listDocumentAudit, type AuditEvent } from "~/audit/audit.server";
import { markChainBroken } from "~/audit/chains.server";
import { AUDIT_TRAIL_FILE, auditTrailJson } from "~/audit/trail.server";
import { hashToken, newId, newToken } from "~/auth/tokens.server";
import { config } from "~/config.server";
import { sha256Hex } from "~/documents/documents.server";
import { moveStage } from "~/documents/lifecycle.server";
import { translator, type Language, type Translate } from "~/i18n";
import { embedFont } from "~/pdf/fonts.server";
import { loadSealIdentity } from "~/seal/keys.server";
import { sealPdf } from "~/seal/seal.server";
import { configuredTimestampAuthority, TimestampError } from "~/seal/tsp.server";
import { fileStorage } from "~/storage/files.server";
import { ownerRecipient, partyRecipient, queueNotice, senderCompanyName, type Recipient } from "./notices.server";

const { AFRelationship, PDFDocument, rgb } = pdfLib;

type DocumentRow = typeof schema.documents.$inferSelect;
type PartyRow = typeof schema.parties.$inferSelect;
type BoxRow = typeof schema.boxes.$inferSelect;

export function sealedFileKey(documentId: string) {
  return `documents/${documentId}/signed.pdf`;
}

const GREY = rgb(0.45, 0.45, 0.45);
const LIGHT = rgb(0.93, 0.93, 0.93);
const INK = rgb(0.1, 0.1, 0.12);

function utc(date: Date | null | undefined) {
  return date ? `${date.toISOString().slice(0, 19).replace("T", " ")} UTC` : "";
}

function providedLines(party: PartyRow, t: Translate, short = false): string[] {
  if (!party.providedData) return [];
  try {
    const data = JSON.parse(party.providedData) as Record<string, string>;
    return Object.entries(data)
      .filter(([k, v]) => v && !(short && k === "fullName"))
      .map(([k, v]) => (short && k !== "taxId" ? v : `${t(`signing.data.${k}`)}: ${v}`));
  } catch {
    return [];
  }
}

function signerName(party: PartyRow) {
  try {
    return (party.providedData && (JSON.parse(party.providedData) as Record<string, string>).fullName) || party.name;
  } catch {
    return party.name;
  }
}

/** Splits text into lines no wider than `width` at `size`. Long words are cut. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/)) {
      let piece = word;
      while (font.widthOfTextAtSize(piece, size) > width) {
        let cut = piece.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(piece.slice(0, cut), size) > width) cut--;
        if (line) {
          lines.push(line);
          line = "";
        }
        lines.push(piece.slice(0, cut));
        piece = piece.slice(cut);
      }
      const candidate = line ? `${line} ${piece}` : piece;
      if (font.widthOfTextAtSize(candidate, size) > width && line) {
        lines.push(line);
        line = piece;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
  }
  return lines;
}

function fitInto(box: Pick<BoxRow, "x" | "y" | "width" | "height">, imageWidth: number, imageHeight: number) {
  const scale = Math.min(box.width / imageWidth, box.height / imageHeight);
  const width = imageWidth * scale;
  const height = imageHeight * scale;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}

interface AuditPageInput {
  document: DocumentRow;
  parties: PartyRow[];
  events: AuditEvent[];
  chainHead: string;
  verifyUrl: string;
  company: string;
}

function eventLine(event: AuditEvent, t: Translate): string {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(event.details) as Record<string, unknown>;
  } catch {
    /* shown without details */
  }
  const label =
    t(`signing.audit.${event.action}`) === `signing.audit.${event.action}`
      ? event.action
      : t(`signing.audit.${event.action}`);
  const extra: string[] = [];
  if (typeof details.channel === "string") extra.push(`${t("signing.auditPage.channel")}: ${details.channel}`);
  if (typeof details.reason === "string") extra.push(`${t("signing.auditPage.reason")}: ${details.reason}`);
  if (typeof details.triesLeft === "number") extra.push(`${t("signing.auditPage.triesLeft")}: ${details.triesLeft}`);
  return `${utc(event.at)} · ${label}${event.actorLabel ? ` · ${event.actorLabel}` : ""}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

async function appendAuditPages(
  pdf: PDFDocumentType,
  input: AuditPageInput,
  fonts: { regular: PDFFont; bold: PDFFont },
  t: Translate,
) {
  const [width, height] = [595.28, 841.89];
  const margin = 40;
  const bottom = 64; // above the stripe band
  const textWidth = width - margin * 2;
  let page = pdf.addPage([width, height]);
  let y = height - margin;
  const newPageIfNeeded = (needed: number) => {
    if (y - needed < bottom) {
      page = pdf.addPage([width, height]);
      y = height - margin;
    }
  };
  const write = (
    text: string,
    options: { size?: number; bold?: boolean; color?: ReturnType<typeof rgb>; indent?: number; maxWidth?: number } = {},
  ) => {
    const size = options.size ?? 9;
    const font = options.bold ? fonts.bold : fonts.regular;
    for (const line of wrapText(text, font, size, (options.maxWidth ?? textWidth) - (options.indent ?? 0))) {
      newPageIfNeeded(size * 1.35);
      page.drawText(line, { x: margin + (options.indent ?? 0), y: y - size, size, font, color: options.color ?? INK });
      y -= size * 1.35;
    }
  };

  const qrSize = 110;
  const qr = await pdf.embedPng(
    await QRCode.toBuffer(input.verifyUrl, { type: "png", margin: 1, width: 330, errorCorrectionLevel: "M" }),
  );
  page.drawImage(qr, { x: width - margin - qrSize, y: height - margin - qrSize, width: qrSize, height: qrSize });
  const narrow = textWidth - qrSize - 12;
  write(t("signing.auditPage.title"), { size: 16, bold: true, maxWidth: narrow });
  y -= 4;
  write(`${t("signing.auditPage.document")}: ${input.document.number} · ${input.document.title}`, {
    bold: true,
    maxWidth: narrow,
  });
  write(`${t("signing.auditPage.sender")}: ${input.company}`, { maxWidth: narrow });
  write(`${t("signing.auditPage.originalSha256")}: ${input.document.originalSha256}`, { size: 8, maxWidth: narrow });
  write(`${t("signing.auditPage.verify")}: ${input.verifyUrl}`, { size: 8, maxWidth: narrow });
  y = Math.min(y, height - margin - qrSize - 8);

  y -= 6;
  write(t("signing.auditPage.parties"), { size: 12, bold: true });
  for (const party of input.parties) {
    const channel = party.role === "client" ? input.document.clientChannel : "email";
    const contact = channel === "sms" ? party.phone : party.email;
    write(`${t(`signing.role.${party.role}`)}: ${party.name} · ${party.companyName}`, { bold: true });
    write(
      `${t("signing.auditPage.channel")}: ${channel} (${contact}) · ${t("signing.auditPage.signedAt")}: ${utc(party.signedAt)} · ${t("signing.auditPage.codeConfirmed")}: ${utc(party.codeVerifiedAt)}`,
      { indent: 10, size: 8 },
    );
    for (const line of providedLines(party, t)) write(line, { indent: 10, size: 8 });
  }

  y -= 6;
  write(t("signing.auditPage.events"), { size: 12, bold: true });
  for (const event of input.events) {
    newPageIfNeeded(30);
    write(eventLine(event, t), { size: 8 });
    if (event.ip || event.userAgent)
      write(`IP ${event.ip || "-"} · ${event.userAgent || "-"}`, { size: 7, indent: 10, color: GREY });
  }
  y -= 6;
  write(`${t("signing.auditPage.chainHead")}: ${input.chainHead}`, { size: 8, bold: true });
  write(t("signing.auditPage.sealNote"), { size: 8, color: GREY });
}

function drawStripe(page: PDFPage, text: string, font: PDFFont) {
  const { x, y, width } = page.getMediaBox();
  const size = 7;
  page.drawRectangle({ x, y: y + 18, width, height: 12, color: LIGHT });
  const textWidth = font.widthOfTextAtSize(text, size);
  page.drawText(text, { x: x + Math.max(8, (width - textWidth) / 2), y: y + 21, size, font, color: GREY });
}

/** The finished, not yet sealed, PDF: images and data in the boxes, stripes, audit page. */
export async function buildFinalPdf(input: {
  original: Uint8Array;
  document: DocumentRow;
  parties: PartyRow[];
  boxes: BoxRow[];
  images: Map<string, Uint8Array>;
  events: AuditEvent[];
  chainHead: string;
  company: string;
}): Promise<Uint8Array> {
  const t = translator(input.document.language as Language);
  const pdf = await PDFDocument.load(input.original, { updateMetadata: false });
  const [regular, bold] = await Promise.all([embedFont(pdf, "sans"), embedFont(pdf, "sansBold")]);
  const pages = pdf.getPages();
  const embedded = new Map<string, Awaited<ReturnType<typeof pdf.embedPng>>>();
  for (const party of input.parties) {
    for (const kind of ["signature", "stamp"] as const) {
      const key = kind === "signature" ? party.signatureImageKey : party.stampImageKey;
      const bytes = key ? input.images.get(key) : undefined;
      if (!bytes) continue;
      const image = embedded.get(key!) ?? (await pdf.embedPng(bytes));
      embedded.set(key!, image);
      for (const box of input.boxes.filter((b) => b.partyRole === party.role && b.kind === kind)) {
        const page = pages[box.page - 1];
        if (!page) continue;
        // on signature boxes the signer's name, time and data go inside the box, under the image,
        // so they never run into the template's own labels around it
        const caption =
          kind === "signature"
            ? [`${signerName(party)} · ${utc(party.signedAt)}`, providedLines(party, t, true).join(" · ")].filter(
                Boolean,
              )
            : [];
        const captionHeight = caption.length * 5.5;
        const imageArea = { ...box, y: box.y + captionHeight, height: Math.max(10, box.height - captionHeight) };
        page.drawImage(image, fitInto(imageArea, image.width, image.height));
        caption.forEach((line, index) => {
          const size = Math.min(4.8, (4.8 * (box.width - 2)) / Math.max(1, regular.widthOfTextAtSize(line, 4.8)));
          page.drawText(line, {
            x: box.x + 1,
            y: box.y + 1.5 + (caption.length - 1 - index) * 5.5,
            size,
            font: regular,
            color: GREY,
          });
        });
      }
    }
  }
  await appendAuditPages(
    pdf,
    {
      document: input.document,
      parties: input.parties,
      events: input.events,
      chainHead: input.chainHead,
      verifyUrl: `${config.verifyPublicUrl}/d/${input.document.publicId}`,
      company: input.company,
    },
    { regular, bold },
    t,
  );
  // the same events, machine-readable, as an attachment the seal covers
  await pdf.attach(auditTrailJson(input.document, input.events, input.chainHead), AUDIT_TRAIL_FILE, {
    mimeType: "application/json",
    description: `Audit trail of ${input.document.number}`,
    afRelationship: AFRelationship.Supplement,
  });
  const all = pdf.getPages();
  all.forEach((page, index) =>
    drawStripe(
      page,
      `${input.document.number} · ${t("signing.stripe.page", { n: index + 1, m: all.length })} · ${t("signing.stripe.sealed")}`,
      regular,
    ),
  );
  pdf.setProducer("Signet");
  pdf.setTitle(`${input.document.number} ${input.document.title}`);
  return pdf.save({ useObjectStreams: false });
}

const inFlight = new Map<string, Promise<"sealed" | "skipped">>();

/** Seals a document marked for sealing; safe to call twice or concurrently (one wins). */
export function sealDocument(documentId: string): Promise<"sealed" | "skipped"> {
  const running = inFlight.get(documentId);
  if (running) return running;
  const job = sealNow(documentId).finally(() => inFlight.delete(documentId));
  inFlight.set(documentId, job);
  return job;
}

async function sealNow(documentId: string): Promise<"sealed" | "skipped"> {
  const db = getDb();
  const document = db.select().from(schema.documents).where(eq(schema.documents.id, documentId)).get();
  if (!document || document.stage !== "client_signing" || !document.sealPendingSince) return "skipped";
  const parties = db
    .select()
    .from(schema.parties)
    .where(eq(schema.parties.documentId, documentId))
    .orderBy(asc(schema.parties.signingOrder))
    .all();
  if (!parties.every((p) => p.status === "signed")) return "skipped";
  const boxes = db.select().from(schema.boxes).where(eq(schema.boxes.documentId, documentId)).all();
  const storage = fileStorage();
  const original = await storage.get(document.originalFileKey);
  if (!original) throw new Error(`original of ${documentId} is missing`);
  if (sha256Hex(original) !== document.originalSha256)
    throw new Error(`original of ${documentId} changed after sending`);
  const images = new Map<string, Uint8Array>();
  for (const party of parties) {
    for (const key of [party.signatureImageKey, party.stampImageKey]) {
      if (!key) continue;
      const bytes = await storage.get(key);
      if (!bytes) throw new Error(`image ${key} is missing`);
      images.set(key, bytes);
    }
  }
  const events = listDocumentAudit(db, documentId);
  const check = checkDocumentChain(db, documentId);
  if (!check.ok) {
    // not sealed over a history that was changed: the document is marked and admins see it
    db.transaction((tx) =>
      markChainBroken(tx, { kind: "document", id: documentId }, document.companyId, check.problem, check.position),
    );
    return "skipped";
  }
  const chainHead = check.head;
  const company = senderCompanyName(db, document);
  const finished = await buildFinalPdf({ original, document, parties, boxes, images, events, chainHead, company });
  const t = translator(document.language as Language);
  const identity = await loadSealIdentity(config.dataDir);
  const sealed = await sealPdf(finished, {
    reason: t("signing.seal.reason", { number: document.number }),
    name: `Signet · ${company}`.slice(0, 120),
    location: new URL(config.publicUrl).host,
    identity,
    // TSA_URL set: PAdES B-LTA, and no seal at all while the TSA fails (the worker retries).
    timestampAuthority: configuredTimestampAuthority(),
  });
  const sha256 = sha256Hex(sealed);
  await storage.put(sealedFileKey(documentId), sealed);
  return finishSealing(document, sha256);
}

function finishSealing(document: DocumentRow, sha256: string): "sealed" | "skipped" {
  const now = new Date();
  return getDb().transaction((tx) => {
    const moved = moveStage(
      tx,
      document.id,
      "client_signing",
      "signed",
      {
        companyId: document.companyId,
        actorType: "system",
        actorLabel: "Signet",
        action: "document.sealed",
        details: { sha256 },
      },
      {
        sealedFileKey: sealedFileKey(document.id),
        sealedSha256: sha256,
        completedAt: now,
        sealPendingSince: null,
        nextReminderAt: null,
      },
    );
    if (!moved) return "skipped";
    const parties = tx
      .select()
      .from(schema.parties)
      .where(eq(schema.parties.documentId, document.id))
      .orderBy(asc(schema.parties.signingOrder))
      .all();
    tx.insert(schema.registry)
      .values({
        publicId: document.publicId,
        documentNumber: document.number,
        completedAt: now,
        signatureCount: 1,
        sha256,
      })
      .run();
    const updated = tx.select().from(schema.documents).where(eq(schema.documents.id, document.id)).get()!;
    const recipients: Recipient[] = parties.map((p) => partyRecipient(updated, p));
    const owner = ownerRecipient(tx, updated);
    if (
      owner &&
      !recipients.some((r) => r.channel === "email" && r.address.toLowerCase() === owner.address.toLowerCase())
    )
      recipients.push(owner);
    for (const recipient of recipients) queueDownloadLink(tx, updated, recipient, now);
    appendAudit(tx, {
      companyId: document.companyId,
      documentId: document.id,
      actorType: "system",
      actorLabel: "Signet",
      action: "document.delivered",
      details: { recipients: recipients.length, linkDays: config.downloadLinkDays },
      at: now,
    });
    return "sealed";
  });
}

/** A fresh download link for the sealed PDF, sent to one recipient through their channel. */
export function queueDownloadLink(
  tx: Parameters<typeof appendAudit>[0],
  document: DocumentRow,
  recipient: Recipient,
  now = new Date(),
) {
  const expiresAt = new Date(now.getTime() + config.downloadLinkDays * 86_400_000);
  const url = issueDownloadLink(tx, document.id, expiresAt);
  queueNotice(tx, document, recipient, {
    subjectKey: "signing.mail.signedSubject",
    bodyKeys: ["signing.mail.signedBody", "signing.mail.signedExpires"],
    smsKey: "signing.sms.signed",
    params: { expires: expiresAt.toISOString().slice(0, 10) },
    link: { labelKey: "signing.mail.download", url },
    purpose: "download_link",
    ref: document.id,
  });
}

export function issueDownloadLink(tx: Parameters<typeof appendAudit>[0], documentId: string, expiresAt: Date) {
  const token = newToken();
  tx.insert(schema.downloadLinks)
    .values({ id: newId(), documentId, tokenHash: hashToken(token), expiresAt })
    .run();
  return `${config.publicUrl}/dl/${token}`;
}

/** The sealed PDF behind a download link, or null when the link is unknown or expired. */
export async function sealedFileForDownloadLink(token: string, now = new Date()) {
  if (!token || token.length > 100) return null;
  const db = getDb();
  const link = db
    .select()
    .from(schema.downloadLinks)
    .where(eq(schema.downloadLinks.tokenHash, hashToken(token)))
    .get();
  if (!link || link.expiresAt.getTime() <= now.getTime()) return null;
  const document = db.select().from(schema.documents).where(eq(schema.documents.id, link.documentId)).get();
  return document ? sealedFileOf(document) : null;
}

export async function sealedFileOf(document: DocumentRow) {
  if (!document.sealedFileKey || (document.stage !== "signed" && document.stage !== "archived")) return null;
  const bytes = await fileStorage().get(document.sealedFileKey);
  return bytes ? { bytes, filename: `${document.number.replace(/[^A-Za-z0-9_-]+/g, "-")}-signed.pdf` } : null;
}

/** Documents left marked for sealing (a crash, a failed seal): sealed now. */
export async function sealPendingDocuments(): Promise<number> {
  const pending = getDb()
    .select({ id: schema.documents.id })
    .from(schema.documents)
    .where(
      and(
        isNotNull(schema.documents.sealPendingSince),
        eq(schema.documents.stage, "client_signing"),
        isNull(schema.documents.auditBrokenAt),
      ),
    )
    .limit(20)
    .all();
  let sealed = 0;
  for (const { id } of pending) {
    try {
      if ((await sealDocument(id)) === "sealed") sealed++;
    } catch (error) {
      if (error instanceof TimestampError) {
        // The TSA is down or refusing: the others would fail alike; the worker's next round tries again.
        console.error(`sealing ${id} waits for the time-stamping authority: ${error.message}`);
        break;
      }
      console.error(`sealing ${id} failed:`, error);
    }
  }
  return sealed;
}
