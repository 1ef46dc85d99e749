// Acceptance protocol (protokół odbioru): who hands over and who receives, what was
// delivered (the items), the finding (accepted, accepted with remarks, rejected),
// remarks, and signature/stamp boxes for both parties.
import type { Language } from "~/i18n";
import { formatAmount, formatQuantity, lineNetMinor, totalsByVatRate } from "../money";
import {
  buyerLines,
  drawHeading,
  drawParties,
  finishDocument,
  personLine,
  sectionHeading,
  sellerLines,
  startDocument,
  drawSignatureArea,
} from "./common.server";
import { colors, type TableColumn, type TableRow } from "./layout.server";
import type { DocumentSourceData, RenderedDocument } from "./types";
import { formatDate, wording } from "./wording";

export async function renderProtocol(input: DocumentSourceData, language: Language): Promise<RenderedDocument> {
  const words = wording[language];
  const w = words.protocol;
  const terms = input.protocol ?? { result: "accepted" as const };
  const title = input.title?.trim() || w.title;
  const numberText = `${words.invoice.numberPrefix} ${input.number}`;
  const flow = await startDocument(
    input,
    language,
    { title: w.metadataTitle(input.number), subject: `${title} ${numberText}` },
    `${title} ${numberText}`,
  );

  const facts: Array<[string, string]> = [];
  if (input.placeOfIssue) facts.push([w.placeOfIssue, input.placeOfIssue]);
  facts.push([w.acceptanceDate, formatDate(terms.acceptanceDate ?? input.issueDate, language)]);
  drawHeading(flow, title, numberText, facts);

  if (terms.contractNumber) {
    const contractDate = terms.contractDate ? formatDate(terms.contractDate, language) : undefined;
    flow.paragraph(`${w.regarding}: ${w.contractRef(terms.contractNumber, contractDate)}`, { size: 9.5, gapAfter: 10 });
  }

  drawParties(
    flow,
    {
      heading: w.handingOver,
      name: input.seller.name,
      lines: [
        ...sellerLines(input, language, { bank: false }),
        personLine(input.seller.representative, input.seller.representativeTitle),
      ],
    },
    {
      heading: w.receiving,
      name: input.buyer.name,
      lines: [...buyerLines(input, language), personLine(input.buyer.contactName, input.buyer.contactTitle)],
    },
  );

  sectionHeading(flow, w.subject);
  flow.drawText(
    words.amountsIn(input.currency.toUpperCase()),
    flow.right,
    flow.y - 7,
    { size: 7, color: colors.muted },
    "right",
  );
  flow.moveDown(11);
  const widths = [19, 300.28, 50, 50, 80];
  const columns: TableColumn[] = w.columns.map((header, index) => ({
    header,
    width: widths[index],
    align: index === 1 ? "left" : index === 3 ? "center" : "right",
    noWrap: index !== 1 && index !== 3,
  }));
  const rows: TableRow[] = input.items.map((item, index) => ({
    cells: [
      `${index + 1}.`,
      item.name,
      formatQuantity(item.quantityMilli, language),
      item.unit,
      formatAmount(lineNetMinor(item.quantityMilli, item.unitNetMinor), input.currency, language),
    ],
  }));
  rows.push({
    cells: [
      "",
      words.invoice.total,
      "",
      "",
      formatAmount(totalsByVatRate(input.items).netMinor, input.currency, language),
    ],
    bold: true,
  });
  flow.table(columns, rows);
  flow.moveDown(6);

  sectionHeading(flow, w.findings);
  flow.paragraph(w.results[terms.result], { size: 9.5, gapAfter: 8 });
  flow.paragraph(w.remarks, { font: flow.fonts.bold, size: 9.5 });
  flow.paragraph(terms.remarks?.trim() || w.noRemarks, { size: 9.5, gapAfter: 8 });
  if (input.notes?.trim()) flow.paragraph(input.notes, { size: 9.5, gapAfter: 8 });
  flow.paragraph(w.closing, { size: 8.5, color: colors.muted });

  flow.moveDown(24);
  const boxes = drawSignatureArea(flow, input, language, { company: w.handingOver, client: w.receiving });
  return finishDocument(flow, language, boxes);
}
