// What every template shares: the document with fonts and metadata, the party
// blocks, and turning the finished flow into bytes, page sizes and boxes.
import pdfLib from "pdf-lib";
import type { Language } from "~/i18n";
import { embedTextFonts } from "~/pdf/fonts.server";
import { PageFlow, colors } from "./layout.server";
import type { DocumentSourceData, RenderedDocument, SignatureBox } from "./types";
import { addressLines, dateForMetadata, formatBankAccount, wording } from "./wording";

const { PDFDocument } = pdfLib;

export async function startDocument(
  input: DocumentSourceData,
  language: Language,
  metadata: { title: string; subject: string },
  continuationHeading: string,
): Promise<PageFlow> {
  // updateMetadata: false keeps pdf-lib from stamping "now" and its own producer in.
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedTextFonts(doc);
  const date = dateForMetadata(input.issueDate);
  doc.setTitle(metadata.title, { showInWindowTitleBar: true });
  doc.setSubject(metadata.subject);
  doc.setAuthor(input.seller.name);
  doc.setProducer("Signet");
  doc.setCreator("Signet");
  doc.setLanguage(wording[language].locale);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  return new PageFlow(doc, fonts, (flow) => {
    flow.drawText(`${continuationHeading} ${wording[language].continued}`, flow.left, flow.y - 9, {
      font: flow.fonts.bold,
      size: 9,
      color: colors.muted,
    });
    flow.moveDown(22);
  });
}

export async function finishDocument(
  flow: PageFlow,
  language: Language,
  boxes: SignatureBox[],
): Promise<RenderedDocument> {
  flow.numberPages(wording[language].pageOf);
  // No object streams: a plain cross-reference table is what the most tools (and our own
  // upload checks) read best, and the files stay deterministic either way.
  const pdf = await flow.doc.save({ useObjectStreams: false });
  return {
    pdf,
    pageSizes: flow.doc.getPages().map((page) => [page.getWidth(), page.getHeight()] as [number, number]),
    boxes,
  };
}

/** Title, number and the key facts stacked on the right of the first page's header. */
export function drawHeading(flow: PageFlow, title: string, subtitle: string, facts: Array<[string, string]>) {
  const top = flow.y;
  flow.drawText(title, flow.left, top - 20, { font: flow.fonts.bold, size: 20, color: colors.accent });
  flow.drawText(subtitle, flow.left, top - 38, { font: flow.fonts.bold, size: 11.5 });
  const labelX = flow.right - 118;
  let y = top - 8;
  for (const [label, value] of facts) {
    flow.drawText(`${label}:`, labelX - 6, y, { size: 8, color: colors.muted }, "right");
    flow.drawText(value, labelX, y, { font: flow.fonts.bold, size: 8.5 });
    y -= 12.5;
  }
  flow.y = Math.min(top - 50, y - 4);
  flow.rule();
  flow.moveDown(14);
}

export interface PartyBlock {
  heading: string;
  name: string;
  lines: string[];
}

/** Two party blocks side by side (company left, client right), advancing past the taller one. */
export function drawParties(flow: PageFlow, left: PartyBlock, right: PartyBlock) {
  const gap = 24;
  const width = (flow.width - gap) / 2;
  const top = flow.y;
  let lowest = top;
  [left, right].forEach((block, index) => {
    const x = flow.left + index * (width + gap);
    flow.y = top;
    flow.drawText(block.heading.toUpperCase(), x, flow.y - 7, {
      font: flow.fonts.bold,
      size: 7.5,
      color: colors.muted,
    });
    flow.moveDown(12);
    flow.paragraph(block.name, { x, width, font: flow.fonts.bold, size: 10, gapAfter: 1 });
    for (const line of block.lines) flow.paragraph(line, { x, width, size: 9 });
    lowest = Math.min(lowest, flow.y);
  });
  flow.y = lowest - 14;
}

export function sellerLines(input: DocumentSourceData, language: Language, options: { bank: boolean }) {
  const words = wording[language];
  const lines = [...addressLines(input.seller.address), `${words.taxId}: ${input.seller.taxId}`];
  if (options.bank && input.seller.bankAccount) {
    lines.push(`${words.bankAccount}: ${formatBankAccount(input.seller.bankAccount)}`);
    if (input.seller.bankName) lines.push(input.seller.bankName);
  }
  return lines;
}

export function buyerLines(input: DocumentSourceData, language: Language) {
  const lines = addressLines(input.buyer.address);
  if (input.buyer.taxId) lines.push(`${wording[language].taxId}: ${input.buyer.taxId}`);
  return lines;
}

export function personLine(name: string, title?: string) {
  return title ? `${name}, ${title}` : name;
}

/**
 * The closing signature area: the company (seller) on the left, the client on the right, each
 * with its stamp and signature box; returns the boxes placed.
 */
export function drawSignatureArea(
  flow: PageFlow,
  input: DocumentSourceData,
  language: Language,
  headings: { company: string; client: string; companyCaption?: string; clientCaption?: string },
): SignatureBox[] {
  const words = wording[language];
  return flow.signatureArea([
    {
      role: "company",
      heading: headings.company,
      lines: [input.seller.name, personLine(input.seller.representative, input.seller.representativeTitle)],
      stampLabel: words.stamp,
      signatureLabel: words.signature,
      caption: headings.companyCaption,
    },
    {
      role: "client",
      heading: headings.client,
      lines: [input.buyer.name, personLine(input.buyer.contactName, input.buyer.contactTitle)],
      stampLabel: words.stamp,
      signatureLabel: words.signature,
      caption: headings.clientCaption,
    },
  ]);
}

/** A section heading in running text ("§ 1. Subject"), kept with at least two lines after it. */
export function sectionHeading(flow: PageFlow, text: string) {
  flow.ensureSpace(48);
  flow.moveDown(6);
  flow.paragraph(text, { font: flow.fonts.bold, size: 10, gapAfter: 3 });
}
