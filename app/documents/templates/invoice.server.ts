// Polish VAT invoice (faktura VAT) with the elements art. 106e of the VAT act asks
// for: number, issue and sale dates, both parties with NIP, items with unit, quantity,
// unit net price, rate and net value, net and VAT per rate, total due; plus the amount
// in words, payment terms and bank account, and signature/stamp boxes for both parties.
import type { Language } from "~/i18n";
import {
  VAT_EXEMPT,
  amountInWords,
  formatAmount,
  formatMoney,
  formatQuantity,
  formatVatRate,
  lineAmounts,
  totalsByVatRate,
} from "../money";
import {
  buyerLines,
  drawHeading,
  drawParties,
  finishDocument,
  sellerLines,
  startDocument,
  drawSignatureArea,
} from "./common.server";
import { colors, type TableColumn, type TableRow } from "./layout.server";
import type { DocumentSourceData, RenderedDocument } from "./types";
import { formatBankAccount, formatDate, wording } from "./wording";

/** Widths of the item table's columns in points; they add up to the text width (499.28). */
const columnWidths = [19, 163.28, 34, 28, 56, 34, 57, 52, 56];

export async function renderInvoice(input: DocumentSourceData, language: Language): Promise<RenderedDocument> {
  const words = wording[language];
  const w = words.invoice;
  const heading = `${w.title} ${w.numberPrefix} ${input.number}`;
  const flow = await startDocument(
    input,
    language,
    { title: w.metadataTitle(input.number), subject: heading },
    heading,
  );
  const money = (minor: number) => formatAmount(minor, input.currency, language);
  // Printed as given if it is none of ours (data from older records or imports).
  const paymentMethod = words.paymentMethods[input.paymentMethod] ?? String(input.paymentMethod);

  const facts: Array<[string, string]> = [];
  if (input.placeOfIssue) facts.push([w.placeOfIssue, input.placeOfIssue]);
  facts.push(
    [w.issueDate, formatDate(input.issueDate, language)],
    [w.saleDate, formatDate(input.saleDate, language)],
    [w.dueDate, formatDate(input.dueDate, language)],
    [w.paymentMethod, paymentMethod],
  );
  drawHeading(flow, w.title, `${w.numberPrefix} ${input.number}`, facts);

  drawParties(
    flow,
    { heading: w.seller, name: input.seller.name, lines: sellerLines(input, language, { bank: true }) },
    { heading: w.buyer, name: input.buyer.name, lines: buyerLines(input, language) },
  );

  // Items.
  flow.drawText(
    words.amountsIn(input.currency.toUpperCase()),
    flow.right,
    flow.y - 7,
    { size: 7, color: colors.muted },
    "right",
  );
  flow.moveDown(11);
  const columns: TableColumn[] = w.columns.map((header, index) => ({
    header,
    width: columnWidths[index],
    align: index === 1 ? "left" : index === 3 || index === 5 ? "center" : "right",
    noWrap: index !== 1 && index !== 3,
  }));
  const itemRows: TableRow[] = input.items.map((item, index) => {
    const amounts = lineAmounts(item);
    return {
      cells: [
        `${index + 1}.`,
        item.name,
        formatQuantity(item.quantityMilli, language),
        item.unit,
        money(item.unitNetMinor),
        formatVatRate(item.vatRateBp, language),
        money(amounts.netMinor),
        money(amounts.vatMinor),
        money(amounts.grossMinor),
      ],
    };
  });
  flow.table(columns, itemRows);

  // Summary per VAT rate, aligned under the item table's last four columns.
  const totals = totalsByVatRate(input.items);
  const labelWidth = columnWidths.slice(0, 5).reduce((sum, width) => sum + width, 0);
  const summaryColumns: TableColumn[] = [
    { header: "", width: labelWidth, align: "right", noWrap: true },
    ...columns.slice(5).map((column) => ({ ...column })),
  ];
  const summaryRows: TableRow[] = [
    { cells: [w.total, "", money(totals.netMinor), money(totals.vatMinor), money(totals.grossMinor)], bold: true },
    ...totals.byRate.map((rate, index) => ({
      cells: [
        index === 0 ? w.ofWhich : "",
        formatVatRate(rate.vatRateBp, language),
        money(rate.netMinor),
        money(rate.vatMinor),
        money(rate.grossMinor),
      ],
      noRule: index < totals.byRate.length - 1,
    })),
  ];
  flow.moveDown(2);
  flow.table(summaryColumns, summaryRows, { showHeader: false });
  flow.moveDown(14);

  // Amount due, in figures and in words, and how to pay.
  flow.ensureSpace(70);
  const due = formatMoney(totals.grossMinor, input.currency, language);
  flow.drawText(w.amountDue, flow.left, flow.y - 13, { font: flow.fonts.bold, size: 13 });
  flow.drawText(due, flow.left + flow.textWidth(w.amountDue, { font: flow.fonts.bold, size: 13 }) + 8, flow.y - 13, {
    font: flow.fonts.bold,
    size: 13,
    color: colors.accent,
  });
  flow.moveDown(20);
  flow.paragraph(`${w.inWords} ${amountInWords(totals.grossMinor, input.currency, language)}`, {
    size: 9,
    gapAfter: 4,
  });
  const paymentLine = [`${w.paymentMethod}: ${paymentMethod}`, `${w.dueDate}: ${formatDate(input.dueDate, language)}`];
  if (input.paymentMethod === "transfer" && input.seller.bankAccount) {
    paymentLine.push(`${words.bankAccount}: ${formatBankAccount(input.seller.bankAccount)}`);
  }
  flow.paragraph(paymentLine.join("   ·   "), { size: 8.5, color: colors.muted, gapAfter: 4 });
  if (input.splitPayment) flow.paragraph(w.splitPayment, { font: flow.fonts.bold, size: 9, gapAfter: 4 });
  if (input.vatExemptionBasis && input.items.some((item) => item.vatRateBp === VAT_EXEMPT)) {
    flow.paragraph(`${w.exemptionBasis} ${input.vatExemptionBasis}`, { size: 8.5, gapAfter: 4 });
  }
  if (input.notes?.trim()) {
    flow.moveDown(4);
    flow.paragraph(w.notes, { font: flow.fonts.bold, size: 8.5 });
    flow.paragraph(input.notes, { size: 8.5, gapAfter: 4 });
  }

  flow.moveDown(18);
  const boxes = drawSignatureArea(flow, input, language, {
    company: w.seller,
    client: w.buyer,
    companyCaption: w.sellerCaption,
    clientCaption: w.buyerCaption,
  });
  return finishDocument(flow, language, boxes);
}
