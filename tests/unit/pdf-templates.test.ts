import { describe, expect, it } from "vitest";
import pdfLib from "pdf-lib";
import { PDFParse } from "pdf-parse";
import {
  renderContract,
  renderInvoice,
  renderProtocol,
  type RenderedDocument,
} from "~/documents/templates/index.server";
import { manyItems, sampleDocument } from "../helpers/documents";

const { PDFDocument } = pdfLib;
const A4: [number, number] = [595.28, 841.89];

/** Page texts as a viewer would copy them; no-break spaces read as spaces. */
async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  const parser = new PDFParse({ data: pdf.slice() }); // pdf-parse takes ownership of the buffer
  try {
    const result = await parser.getText();
    return result.pages.map((page) => page.text.replace(/\u00a0/g, " "));
  } finally {
    await parser.destroy();
  }
}

const allText = async (pdf: Uint8Array) => (await pageTexts(pdf)).join("\n");

/** Each party has one signature and one stamp box, inside the page, seller/company left of buyer/client. */
function expectBoxesForBothParties(rendered: RenderedDocument) {
  expect(rendered.boxes).toHaveLength(4);
  for (const role of ["company", "client"] as const) {
    for (const kind of ["signature", "stamp"] as const) {
      const box = rendered.boxes.find((b) => b.partyRole === role && b.kind === kind);
      expect(box, `${role} ${kind}`).toBeDefined();
      const [width, height] = rendered.pageSizes[box!.page - 1];
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      expect(box!.y + box!.height).toBeLessThanOrEqual(height);
      expect(box!.width).toBeGreaterThanOrEqual(60);
      expect(box!.height).toBeGreaterThanOrEqual(40);
      for (const value of [box!.x, box!.y, box!.width, box!.height]) expect(Number.isInteger(value)).toBe(true);
    }
  }
  const company = rendered.boxes.filter((b) => b.partyRole === "company");
  const client = rendered.boxes.filter((b) => b.partyRole === "client");
  expect(Math.max(...company.map((b) => b.x + b.width))).toBeLessThan(Math.min(...client.map((b) => b.x)));
}

describe("Polish VAT invoice", () => {
  it("prints number, dates, parties, per-rate totals, amount due and amount in words in Polish", async () => {
    const rendered = await renderInvoice(sampleDocument(), "pl");
    expect(rendered.pageSizes).toEqual([A4]);
    const text = await allText(rendered.pdf);
    expect(text).toContain("Faktura VAT");
    expect(text).toContain("nr FV/2026/0001");
    expect(text).toContain("Data wystawienia: 15.01.2026");
    expect(text).toContain("Data dostawy / wykonania usługi: 14.01.2026");
    expect(text).toContain("Termin płatności: 29.01.2026");
    expect(text).toContain("Sposób zapłaty: przelew");
    expect(text).toContain("Żółta Łódź Sp. z o.o.");
    expect(text).toContain("90-425 Łódź");
    expect(text).toContain("NIP: 725-000-00-00");
    expect(text).toContain("Świętokrzyska Spółdzielnia Mleczarska „Źródło”");
    expect(text).toContain("NIP: 657-000-00-00");
    expect(text).toContain("PL61 1090 1014 0000 0712 1981 2874");
    // Items: half a unit rounds half away from zero (0,5 × 1 200,01 = 600,005 → 600,01).
    expect(text).toMatch(/0,5\s+usł\.\s+1 200,01\s+zw\.\s+600,01\s+0,00\s+600,01/);
    // Totals, then one row per rate: 23 %, 5 %, exempt.
    expect(text).toMatch(/Razem:\s+9 729,71\s+2 067,49\s+11 797,20/);
    expect(text).toMatch(/w tym:\s+23%\s+8 950,00\s+2 058,50\s+11 008,50/);
    expect(text).toMatch(/5%\s+179,70\s+8,99\s+188,69/);
    expect(text).toMatch(/zw\.\s+600,01\s+0,00\s+600,01/);
    expect(text).toMatch(/Do zapłaty:\s+11 797,20 zł/);
    expect(text).toContain("Słownie: jedenaście tysięcy siedemset dziewięćdziesiąt siedem złotych 20/100");
    expect(text).toContain("Podstawa zwolnienia z VAT: art. 43 ust. 1 pkt 29 lit. c ustawy o VAT");
    expect(text).toContain("Łukasz Gędźba, Prezes Zarządu");
    expect(text).toContain("Podpis osoby upoważnionej do wystawienia faktury");
    expect(text).toContain("Podpis osoby upoważnionej do odbioru faktury");
    expectBoxesForBothParties(rendered);
  });

  it("prints the English invoice with the same figures", async () => {
    const rendered = await renderInvoice(sampleDocument(), "en");
    const text = await allText(rendered.pdf);
    expect(text).toContain("VAT invoice");
    expect(text).toContain("no. FV/2026/0001");
    expect(text).toContain("Issue date: 15 January 2026");
    expect(text).toContain("Payment method: bank transfer");
    expect(text).toMatch(/Total:\s+9,729.71\s+2,067.49\s+11,797.20/);
    expect(text).toMatch(/of which:\s+23%\s+8,950.00\s+2,058.50\s+11,008.50/);
    expect(text).toMatch(/exempt\s+600.01\s+0.00\s+600.01/);
    expect(text).toMatch(/Amount due:\s+PLN 11,797.20/);
    expect(text).toContain("In words: eleven thousand seven hundred ninety-seven PLN 20/100");
    expect(text).toContain("Łódź");
    expectBoxesForBothParties(rendered);
  });

  it("writes an amount of 1 000 000,01 zł in words", async () => {
    const rendered = await renderInvoice(
      sampleDocument({
        items: [{ name: "Licencja", unit: "szt.", quantityMilli: 1000, unitNetMinor: 100000001, vatRateBp: 0 }],
      }),
      "pl",
    );
    const text = await allText(rendered.pdf);
    expect(text).toMatch(/Do zapłaty:\s+1 000 000,01 zł/);
    expect(text).toContain("Słownie: jeden milion złotych 01/100");
  });

  it("continues a long item table on further pages with its header repeated", async () => {
    const rendered = await renderInvoice(sampleDocument({ items: manyItems(80) }), "pl");
    expect(rendered.pageSizes.length).toBeGreaterThanOrEqual(3);
    const pages = await pageTexts(rendered.pdf);
    pages.forEach((page, index) => {
      expect(page).toContain(`Strona ${index + 1} z ${pages.length}`);
      if (index > 0) expect(page).toContain("Faktura VAT nr FV/2026/0001 (ciąg dalszy)");
    });
    // Every page that lists items starts its table with the header.
    const withItems = pages.filter((page) => /Pozycja \d+:/.test(page));
    expect(withItems.length).toBeGreaterThanOrEqual(2);
    for (const page of withItems) expect(page).toMatch(/Lp\.\s+Nazwa towaru lub usługi/);
    // No item lost or repeated across the page breaks.
    const listed = pages.join("\n").match(/Pozycja \d+:/g)!;
    expect(listed).toHaveLength(80);
    expect(new Set(listed).size).toBe(80);
    // The signature area comes after the last item, on the last page.
    expect(new Set(rendered.boxes.map((box) => box.page))).toEqual(new Set([rendered.pageSizes.length]));
    expectBoxesForBothParties(rendered);
  });

  it("is deterministic and carries Signet metadata dated from the document", async () => {
    const first = await renderInvoice(sampleDocument(), "pl");
    const second = await renderInvoice(sampleDocument(), "pl");
    expect(Buffer.from(first.pdf).equals(Buffer.from(second.pdf))).toBe(true);
    const doc = await PDFDocument.load(first.pdf, { updateMetadata: false });
    expect(doc.getTitle()).toBe("Faktura VAT FV/2026/0001");
    expect(doc.getProducer()).toBe("Signet");
    expect(doc.getCreator()).toBe("Signet");
    expect(doc.getCreationDate()?.toISOString()).toBe("2026-01-15T00:00:00.000Z");
    // Fonts are subset: the whole file stays small.
    expect(first.pdf.length).toBeLessThan(60_000);
  });

  it("replaces characters the font cannot draw instead of dropping them", async () => {
    const rendered = await renderInvoice(sampleDocument({ notes: "Znak spoza czcionki: 漢 koniec" }), "pl");
    expect(await allText(rendered.pdf)).toContain("Znak spoza czcionki: ? koniec");
  });
});

describe("services agreement", () => {
  it("renders parties, subject, term, price and boxes in Polish", async () => {
    const rendered = await renderContract(sampleDocument({ number: "UM/2026/0007" }), "pl");
    const text = await allText(rendered.pdf);
    expect(text).toContain("Umowa o świadczenie usług");
    expect(text).toContain("nr UM/2026/0007");
    expect(text).toContain("zawarta w dniu 15 stycznia 2026 r. pomiędzy:");
    expect(text).toContain("Wykonawcą:");
    expect(text).toContain("Zamawiającym:");
    expect(text).toMatch(
      /Wykonawca zobowiązuje się do: wdrożenia i utrzymania systemu podpisu\s+elektronicznego Signet\./,
    );
    expect(text).toMatch(/od 1 lutego 2026 r\. do 31 grudnia 2026 r\.(?!\.)/);
    expect(text).toMatch(/9 729,71 zł netto/);
    expect(text).toMatch(/11 797,20 zł brutto/);
    expect(text).toContain("jedenaście tysięcy siedemset dziewięćdziesiąt siedem złotych 20/100");
    expect(text).toContain("§ 1. Przedmiot umowy");
    expectBoxesForBothParties(rendered);
  });

  it("renders in English, for an indefinite term", async () => {
    const input = sampleDocument({ number: "AG/2026/0001" });
    input.contract = { subject: "bookkeeping services", startDate: "2026-03-01", paymentDays: 30 };
    const rendered = await renderContract(input, "en");
    const text = await allText(rendered.pdf);
    expect(text).toContain("Services agreement");
    expect(text).toContain("The Contractor undertakes to provide: bookkeeping services.");
    expect(text).toContain("indefinite term starting on 1 March 2026");
    expect(text).toMatch(/within\s+30\s+days of receipt/);
    expectBoxesForBothParties(rendered);
  });
});

describe("acceptance protocol", () => {
  it("renders the finding, remarks and boxes in Polish", async () => {
    const rendered = await renderProtocol(sampleDocument({ number: "PO/2026/0003" }), "pl");
    const text = await allText(rendered.pdf);
    expect(text).toContain("Protokół odbioru");
    expect(text).toContain("nr PO/2026/0003");
    expect(text).toContain("Dotyczy: umowy nr UM/2026/0007 z dnia 02.01.2026");
    expect(text).toContain("Przekazujący (Wykonawca)");
    expect(text).toContain("Odbierający (Zamawiający)");
    expect(text).toMatch(/z zastrzeżeniami/);
    expect(text).toContain("Brak instrukcji obsługi w języku polskim");
    expect(text).toMatch(/Razem:\s+9 729,71/);
    expectBoxesForBothParties(rendered);
  });

  it("renders in English", async () => {
    const input = sampleDocument({ number: "AP/2026/0001" });
    input.protocol = { result: "accepted" };
    const rendered = await renderProtocol(input, "en");
    const text = await allText(rendered.pdf);
    expect(text).toContain("Acceptance protocol");
    expect(text).toContain("without reservations");
    expect(text).toMatch(/Remarks and reservations:\s+none/);
    expectBoxesForBothParties(rendered);
  });
});
