// Sample document data for tests and the bench: a Polish seller and buyer with
// Polish characters everywhere, three VAT rates including an exempt item.
import type { DocumentItem, DocumentSourceData } from "~/documents/templates/types";

export const sampleItems: DocumentItem[] = [
  {
    name: "Wdrożenie systemu e-Podpis (konfiguracja, szkolenie zespołu, migracja dokumentów z poprzedniego systemu)",
    unit: "usł.",
    quantityMilli: 1000,
    unitNetMinor: 850000,
    vatRateBp: 2300,
  },
  {
    name: "Konsultacje — godzina pracy konsultanta",
    unit: "godz.",
    quantityMilli: 2500,
    unitNetMinor: 18000,
    vatRateBp: 2300,
  },
  {
    name: "Książka „Podpis elektroniczny w praktyce”",
    unit: "szt.",
    quantityMilli: 3000,
    unitNetMinor: 5990,
    vatRateBp: 500,
  },
  {
    name: "Szkolenie zawodowe dla pracowników (dofinansowane)",
    unit: "usł.",
    quantityMilli: 500,
    unitNetMinor: 120001,
    vatRateBp: -1,
  },
];

/** A complete invoice/contract/protocol source; `overrides` replace top-level fields. */
export function sampleDocument(overrides: Partial<DocumentSourceData> = {}): DocumentSourceData {
  return {
    number: "FV/2026/0001",
    placeOfIssue: "Łódź",
    issueDate: "2026-01-15",
    saleDate: "2026-01-14",
    dueDate: "2026-01-29",
    paymentMethod: "transfer",
    seller: {
      name: "Żółta Łódź Sp. z o.o.",
      taxId: "725-000-00-00",
      address: "ul. Piotrkowska 104, 90-425 Łódź",
      bankAccount: "PL61109010140000071219812874",
      bankName: "Santander Bank Polska S.A.",
      representative: "Łukasz Gędźba",
      representativeTitle: "Prezes Zarządu",
    },
    buyer: {
      name: "Świętokrzyska Spółdzielnia Mleczarska „Źródło”",
      taxId: "657-000-00-00",
      address: "ul. Ściegiennego 2\n25-033 Kielce",
      contactName: "Małgorzata Ćwik",
      contactTitle: "Dyrektor finansowy",
    },
    items: sampleItems,
    currency: "PLN",
    notes: "Płatność w terminie. Dziękujemy za współpracę!",
    vatExemptionBasis: "art. 43 ust. 1 pkt 29 lit. c ustawy o VAT",
    contract: {
      subject: "wdrożenia i utrzymania systemu podpisu elektronicznego Signet",
      startDate: "2026-02-01",
      endDate: "2026-12-31",
    },
    protocol: {
      contractNumber: "UM/2026/0007",
      contractDate: "2026-01-02",
      result: "acceptedWithRemarks",
      remarks: "Brak instrukcji obsługi w języku polskim; dostarczyć do 31.01.2026.",
    },
    ...overrides,
  };
}

/** `count` generated items, to push tables onto further pages. */
export function manyItems(count: number): DocumentItem[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `Pozycja ${index + 1}: usługa serwisowa — żółć i łódź nr ${index + 1}`,
    unit: "szt.",
    quantityMilli: 1000 + index * 250,
    unitNetMinor: 1999 + index * 101,
    vatRateBp: [2300, 800, 500, -1][index % 4],
  }));
}
