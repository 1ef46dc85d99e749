// Services agreement (umowa o świadczenie usług): parties, subject and scope (the
// items), term and notice, remuneration from the items' totals, standard clauses,
// and signature/stamp boxes for the contractor (company) and the client.
import type { Language } from "~/i18n";
import {
  amountInWords,
  formatAmount,
  formatMoney,
  formatQuantity,
  formatVatRate,
  lineNetMinor,
  totalsByVatRate,
} from "../money";
import {
  buyerLines,
  finishDocument,
  personLine,
  sectionHeading,
  sellerLines,
  startDocument,
  drawSignatureArea,
} from "./common.server";
import { colors, type PageFlow, type TableColumn } from "./layout.server";
import type { DocumentSourceData, RenderedDocument } from "./types";
import { formatBankAccount, formatDate, formatLongDate, wording } from "./wording";

/** "1." hanging to the left of a wrapped paragraph. */
function numberedParagraph(flow: PageFlow, number: number, text: string) {
  const indent = 16;
  flow.ensureSpace(12);
  flow.drawText(`${number}.`, flow.left, flow.y - 9, { size: 9 });
  flow.paragraph(text, { x: flow.left + indent, size: 9, gapAfter: 3 });
}

export async function renderContract(input: DocumentSourceData, language: Language): Promise<RenderedDocument> {
  const words = wording[language];
  const w = words.contract;
  const terms = input.contract ?? { subject: input.title ?? "", startDate: input.saleDate };
  const title = input.title?.trim() || w.title;
  const numberText = `${words.invoice.numberPrefix} ${input.number}`;
  const flow = await startDocument(
    input,
    language,
    { title: w.metadataTitle(input.number), subject: `${title} ${numberText}` },
    `${title} ${numberText}`,
  );

  // Place and date top right, title centred.
  const dated = input.placeOfIssue
    ? `${input.placeOfIssue}, ${formatDate(input.issueDate, language)}`
    : formatDate(input.issueDate, language);
  flow.drawText(dated, flow.right, flow.y - 9, { size: 9 }, "right");
  flow.moveDown(30);
  flow.paragraph(title, { font: flow.fonts.bold, size: 17, align: "center", color: colors.accent, gapAfter: 2 });
  flow.paragraph(numberText, { font: flow.fonts.bold, size: 11, align: "center", gapAfter: 16 });

  // Parties.
  flow.paragraph(w.concluded(formatLongDate(input.issueDate, language)), { size: 9.5, gapAfter: 6 });
  const partyParagraph = (label: string, name: string, lines: string[], representative: string) => {
    flow.paragraph(label, { font: flow.fonts.bold, size: 9.5 });
    flow.paragraph([name, ...lines].join(", ") + `, ${w.representedBy} ${representative}`, {
      x: flow.left + 16,
      size: 9.5,
      gapAfter: 6,
    });
  };
  partyParagraph(
    w.contractorAs,
    input.seller.name,
    sellerLines(input, language, { bank: false }),
    personLine(input.seller.representative, input.seller.representativeTitle),
  );
  flow.paragraph(w.and, { size: 9.5, gapAfter: 6 });
  partyParagraph(
    w.clientAs,
    input.buyer.name,
    buyerLines(input, language),
    personLine(input.buyer.contactName, input.buyer.contactTitle),
  );
  flow.paragraph(w.partiesTogether, { size: 9.5, gapAfter: 4 });

  let section = 0;
  const nextSection = (name: string) => {
    section += 1;
    sectionHeading(flow, `§ ${section}. ${name}`);
  };

  nextSection(w.sections.subject);
  numberedParagraph(flow, 1, w.subject(terms.subject.trim()));
  if (input.items.length > 0) {
    numberedParagraph(flow, 2, w.scope);
    flow.moveDown(2);
    const widths = [19, 212.28, 40, 34, 70, 50, 74];
    const columns: TableColumn[] = w.scopeColumns.map((header, index) => ({
      header,
      width: widths[index],
      align: index === 1 ? "left" : index === 3 || index === 5 ? "center" : "right",
      noWrap: index !== 1 && index !== 3,
    }));
    flow.table(
      columns,
      input.items.map((item, index) => ({
        cells: [
          `${index + 1}.`,
          item.name,
          formatQuantity(item.quantityMilli, language),
          item.unit,
          formatAmount(item.unitNetMinor, input.currency, language),
          formatVatRate(item.vatRateBp, language),
          formatAmount(lineNetMinor(item.quantityMilli, item.unitNetMinor), input.currency, language),
        ],
      })),
      { x: flow.left },
    );
    flow.moveDown(6);
  }

  nextSection(w.sections.term);
  const start = formatLongDate(terms.startDate, language);
  numberedParagraph(
    flow,
    1,
    terms.endDate ? w.termFixed(start, formatLongDate(terms.endDate, language)) : w.termIndefinite(start),
  );
  numberedParagraph(flow, 2, w.notice(terms.noticeDays ?? 30));

  nextSection(w.sections.price);
  const totals = totalsByVatRate(input.items);
  numberedParagraph(
    flow,
    1,
    w.price(
      formatMoney(totals.netMinor, input.currency, language),
      formatMoney(totals.grossMinor, input.currency, language),
    ),
  );
  numberedParagraph(flow, 2, w.priceInWords(amountInWords(totals.grossMinor, input.currency, language)));
  numberedParagraph(flow, 3, w.payment(terms.paymentDays ?? 14, formatBankAccount(input.seller.bankAccount)));

  nextSection(w.sections.duties);
  w.duties.forEach((text, index) => numberedParagraph(flow, index + 1, text));

  nextSection(w.sections.acceptance);
  numberedParagraph(flow, 1, w.acceptance);

  const clauses = (terms.clauses ?? []).map((clause) => clause.trim()).filter(Boolean);
  if (clauses.length > 0) {
    nextSection(w.sections.extra);
    clauses.forEach((text, index) => numberedParagraph(flow, index + 1, text));
  }

  nextSection(w.sections.final);
  w.final.forEach((text, index) => numberedParagraph(flow, index + 1, text));

  if (input.notes?.trim()) {
    flow.moveDown(6);
    flow.paragraph(w.notes, { font: flow.fonts.bold, size: 9 });
    flow.paragraph(input.notes, { size: 9 });
  }

  flow.moveDown(24);
  const boxes = drawSignatureArea(flow, input, language, { company: w.contractor, client: w.client });
  return finishDocument(flow, language, boxes);
}
