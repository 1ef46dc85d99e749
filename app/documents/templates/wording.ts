// The words printed on our documents, per language. Kept apart from UI messages:
// these are document content (what an accountant reads), typed so a missing
// translation is a compile error rather than a key printed into a PDF.
import type { Language } from "~/i18n";
import type { AcceptanceResult, PaymentMethod } from "./types";

const polishMonths = [
  "stycznia",
  "lutego",
  "marca",
  "kwietnia",
  "maja",
  "czerwca",
  "lipca",
  "sierpnia",
  "września",
  "października",
  "listopada",
  "grudnia",
];
const englishMonths = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function parseIsoDate(iso: string) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!match) return null;
  const [, year, month, day] = match;
  const monthIndex = Number(month) - 1;
  if (monthIndex < 0 || monthIndex > 11) return null;
  return { year, month, day, monthIndex };
}

/** "15.01.2026" (pl) / "15 January 2026" (en); text that is no ISO date is printed as given. */
export function formatDate(iso: string, language: Language): string {
  const date = parseIsoDate(iso);
  if (!date) return iso;
  if (language === "pl") return `${date.day}.${date.month}.${date.year}`;
  return `${Number(date.day)} ${englishMonths[date.monthIndex]} ${date.year}`;
}

/** "15 stycznia 2026 r." (pl) / "15 January 2026" (en), for running text. */
export function formatLongDate(iso: string, language: Language): string {
  const date = parseIsoDate(iso);
  if (!date) return iso;
  if (language === "pl") return `${Number(date.day)} ${polishMonths[date.monthIndex]} ${date.year} r.`;
  return formatDate(iso, language);
}

/** Midnight UTC of an ISO date, for the PDF's creation date (deterministic output). */
export function dateForMetadata(iso: string): Date {
  const date = parseIsoDate(iso);
  return date ? new Date(Date.UTC(Number(date.year), date.monthIndex, Number(date.day))) : new Date(0);
}

/** Groups an account number in fours the way banks print it: "PL61 1090 1014 …", "61 1090 1014 …" (NRB). */
export function formatBankAccount(account: string): string {
  const compact = account.replace(/[\s-]/g, "").toUpperCase();
  if (/^\d{26}$/.test(compact)) return `${compact.slice(0, 2)} ${compact.slice(2).replace(/(.{4})(?=.)/g, "$1 ")}`;
  if (/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact)) return compact.replace(/(.{4})(?=.)/g, "$1 ");
  return account.trim();
}

/** Ends a sentence with a full stop unless its last word already has one ("2026 r."). */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Address lines from "street, postcode city" or a multi-line text. */
export function addressLines(address: string): string[] {
  const byLine = address
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return byLine.length > 1
    ? byLine
    : address
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean);
}

const pl = {
  locale: "pl-PL",
  pageOf: (page: number, count: number) => `Strona ${page} z ${count}`,
  continued: "(ciąg dalszy)",
  taxId: "NIP",
  bankAccount: "Nr rachunku",
  stamp: "pieczątka",
  signature: "podpis",
  paymentMethods: {
    transfer: "przelew",
    cash: "gotówka",
    card: "karta płatnicza",
    prepayment: "przedpłata",
  } satisfies Record<PaymentMethod, string>,
  amountsIn: (currency: string) => `Kwoty w ${currency}`,
  invoice: {
    title: "Faktura VAT",
    numberPrefix: "nr",
    metadataTitle: (number: string) => `Faktura VAT ${number}`,
    placeOfIssue: "Miejsce wystawienia",
    issueDate: "Data wystawienia",
    saleDate: "Data dostawy / wykonania usługi",
    dueDate: "Termin płatności",
    paymentMethod: "Sposób zapłaty",
    seller: "Sprzedawca",
    buyer: "Nabywca",
    columns: [
      "Lp.",
      "Nazwa towaru lub usługi",
      "Ilość",
      "J.m.",
      "Cena jedn. netto",
      "Stawka VAT",
      "Wartość netto",
      "Kwota VAT",
      "Wartość brutto",
    ],
    total: "Razem:",
    ofWhich: "w tym:",
    amountDue: "Do zapłaty:",
    inWords: "Słownie:",
    exemptionBasis: "Podstawa zwolnienia z VAT:",
    splitPayment: "mechanizm podzielonej płatności",
    notes: "Uwagi:",
    sellerCaption: "Podpis osoby upoważnionej do wystawienia faktury",
    buyerCaption: "Podpis osoby upoważnionej do odbioru faktury",
  },
  contract: {
    title: "Umowa o świadczenie usług",
    metadataTitle: (number: string) => `Umowa ${number}`,
    concluded: (date: string) => `zawarta w dniu ${date} pomiędzy:`,
    contractorAs: "Wykonawcą:",
    clientAs: "Zamawiającym:",
    representedBy: "reprezentowanym przez:",
    and: "a",
    partiesTogether: "zwanymi dalej łącznie „Stronami”.",
    contractor: "Wykonawca",
    client: "Zamawiający",
    sections: {
      subject: "Przedmiot umowy",
      term: "Czas trwania umowy",
      price: "Wynagrodzenie",
      duties: "Obowiązki Stron",
      acceptance: "Odbiór",
      extra: "Postanowienia dodatkowe",
      final: "Postanowienia końcowe",
    },
    subject: (subject: string) => sentence(`Wykonawca zobowiązuje się do: ${subject}`),
    scope: "Zakres usług obejmuje pozycje wymienione w tabeli poniżej.",
    scopeColumns: ["Lp.", "Usługa", "Ilość", "J.m.", "Cena jedn. netto", "Stawka VAT", "Wartość netto"],
    termFixed: (start: string, end: string) =>
      sentence(`Umowa zostaje zawarta na czas określony od ${start} do ${end}`),
    termIndefinite: (start: string) => sentence(`Umowa zostaje zawarta na czas nieokreślony, począwszy od ${start}`),
    notice: (days: number) =>
      `Każda ze Stron może rozwiązać umowę z zachowaniem ${days}-dniowego okresu wypowiedzenia, ze skutkiem na koniec okresu wypowiedzenia.`,
    price: (net: string, gross: string) =>
      `Za wykonanie przedmiotu umowy Zamawiający zapłaci Wykonawcy wynagrodzenie w wysokości ${net} netto, powiększone o należny podatek VAT, tj. ${gross} brutto.`,
    priceInWords: (words: string) => `Słownie brutto: ${words}.`,
    payment: (days: number, account: string) =>
      `Wynagrodzenie płatne będzie przelewem na rachunek bankowy Wykonawcy nr ${account} w terminie ${days} dni od dnia doręczenia prawidłowo wystawionej faktury VAT.`,
    duties: [
      "Wykonawca wykona przedmiot umowy z należytą starannością, zgodnie z obowiązującymi przepisami i zasadami wiedzy zawodowej.",
      "Zamawiający przekaże Wykonawcy informacje i dokumenty niezbędne do wykonania umowy oraz zapewni współpracę swoich pracowników.",
      "Strony zobowiązują się zachować w poufności informacje uzyskane w związku z wykonywaniem umowy.",
    ],
    acceptance:
      "Wykonanie przedmiotu umowy Strony potwierdzą protokołem odbioru. Podpisany protokół odbioru stanowi podstawę do wystawienia faktury.",
    final: [
      "Zmiany umowy wymagają formy pisemnej lub elektronicznej pod rygorem nieważności.",
      "W sprawach nieuregulowanych umową stosuje się przepisy Kodeksu cywilnego.",
      "Spory wynikłe z umowy rozstrzygać będzie sąd właściwy dla siedziby Wykonawcy.",
      "Umowę zawarto w postaci elektronicznej; Strony podpisują ją podpisami elektronicznymi w systemie Signet.",
    ],
    notes: "Uwagi:",
  },
  protocol: {
    title: "Protokół odbioru",
    metadataTitle: (number: string) => `Protokół odbioru ${number}`,
    acceptanceDate: "Data odbioru",
    placeOfIssue: "Miejsce",
    regarding: "Dotyczy",
    contractRef: (number: string, date?: string) => (date ? `umowy nr ${number} z dnia ${date}` : `umowy nr ${number}`),
    handingOver: "Przekazujący (Wykonawca)",
    receiving: "Odbierający (Zamawiający)",
    subject: "Przedmiot odbioru",
    columns: ["Lp.", "Nazwa towaru lub usługi", "Ilość", "J.m.", "Wartość netto"],
    findings: "Ustalenia",
    results: {
      accepted:
        "Zamawiający potwierdza odbiór przedmiotu umowy bez zastrzeżeń. Przedmiot umowy został wykonany zgodnie z umową.",
      acceptedWithRemarks:
        "Zamawiający potwierdza odbiór przedmiotu umowy z zastrzeżeniami wymienionymi poniżej. Wykonawca usunie je w uzgodnionym terminie.",
      rejected: "Zamawiający odmawia odbioru przedmiotu umowy z przyczyn wymienionych poniżej.",
    } satisfies Record<AcceptanceResult, string>,
    remarks: "Uwagi i zastrzeżenia:",
    noRemarks: "brak",
    closing: "Protokół sporządzono w postaci elektronicznej i podpisano podpisami elektronicznymi Stron.",
  },
};

export type Wording = typeof pl;

const en: Wording = {
  locale: "en-GB",
  pageOf: (page: number, count: number) => `Page ${page} of ${count}`,
  continued: "(continued)",
  taxId: "Tax ID (NIP)",
  bankAccount: "Bank account",
  stamp: "stamp",
  signature: "signature",
  paymentMethods: { transfer: "bank transfer", cash: "cash", card: "card", prepayment: "prepayment" } satisfies Record<
    PaymentMethod,
    string
  >,
  amountsIn: (currency: string) => `Amounts in ${currency}`,
  invoice: {
    title: "VAT invoice",
    numberPrefix: "no.",
    metadataTitle: (number: string) => `VAT invoice ${number}`,
    placeOfIssue: "Place of issue",
    issueDate: "Issue date",
    saleDate: "Date of supply",
    dueDate: "Payment due",
    paymentMethod: "Payment method",
    seller: "Seller",
    buyer: "Buyer",
    columns: [
      "No.",
      "Description of goods or services",
      "Qty",
      "Unit",
      "Unit net price",
      "VAT rate",
      "Net amount",
      "VAT amount",
      "Gross amount",
    ],
    total: "Total:",
    ofWhich: "of which:",
    amountDue: "Amount due:",
    inWords: "In words:",
    exemptionBasis: "Legal basis for VAT exemption:",
    splitPayment: "split payment mechanism (mechanizm podzielonej płatności)",
    notes: "Notes:",
    sellerCaption: "Signature of the person authorised to issue the invoice",
    buyerCaption: "Signature of the person authorised to receive the invoice",
  },
  contract: {
    title: "Services agreement",
    metadataTitle: (number: string) => `Agreement ${number}`,
    concluded: (date: string) => `concluded on ${date} between:`,
    contractorAs: "Contractor:",
    clientAs: "Client:",
    representedBy: "represented by:",
    and: "and",
    partiesTogether: "together referred to as the “Parties”.",
    contractor: "Contractor",
    client: "Client",
    sections: {
      subject: "Subject of the agreement",
      term: "Term",
      price: "Remuneration",
      duties: "Obligations of the Parties",
      acceptance: "Acceptance",
      extra: "Additional provisions",
      final: "Final provisions",
    },
    subject: (subject: string) => sentence(`The Contractor undertakes to provide: ${subject}`),
    scope: "The scope of services comprises the items listed in the table below.",
    scopeColumns: ["No.", "Service", "Qty", "Unit", "Unit net price", "VAT rate", "Net amount"],
    termFixed: (start: string, end: string) =>
      sentence(`This agreement is concluded for a fixed term from ${start} to ${end}`),
    termIndefinite: (start: string) =>
      sentence(`This agreement is concluded for an indefinite term starting on ${start}`),
    notice: (days: number) =>
      `Either Party may terminate this agreement by giving ${days} days' notice, effective at the end of the notice period.`,
    price: (net: string, gross: string) =>
      `For the services, the Client shall pay the Contractor a fee of ${net} net plus VAT due, i.e. ${gross} gross.`,
    priceInWords: (words: string) => `Gross amount in words: ${words}.`,
    payment: (days: number, account: string) =>
      `The fee is payable by bank transfer to the Contractor's account no. ${account} within ${days} days of receipt of a correctly issued VAT invoice.`,
    duties: [
      "The Contractor shall perform the agreement with due care, in accordance with applicable law and professional standards.",
      "The Client shall provide the Contractor with the information and documents necessary to perform the agreement and ensure the cooperation of its staff.",
      "The Parties shall keep confidential any information obtained in connection with the performance of the agreement.",
    ],
    acceptance:
      "The Parties shall confirm the performance of the agreement by an acceptance protocol. The signed acceptance protocol is the basis for issuing the invoice.",
    final: [
      "Any amendment to this agreement must be made in writing or in electronic form, otherwise it shall be null and void.",
      "Matters not governed by this agreement are subject to the Polish Civil Code.",
      "Disputes arising from this agreement shall be settled by the court having jurisdiction over the Contractor's registered office.",
      "This agreement is made in electronic form and signed by the Parties with electronic signatures in Signet.",
    ],
    notes: "Notes:",
  },
  protocol: {
    title: "Acceptance protocol",
    metadataTitle: (number: string) => `Acceptance protocol ${number}`,
    acceptanceDate: "Date of acceptance",
    placeOfIssue: "Place",
    regarding: "Regarding",
    contractRef: (number: string, date?: string) =>
      date ? `agreement no. ${number} of ${date}` : `agreement no. ${number}`,
    handingOver: "Handing over (Contractor)",
    receiving: "Receiving (Client)",
    subject: "Subject of acceptance",
    columns: ["No.", "Description of goods or services", "Qty", "Unit", "Net amount"],
    findings: "Findings",
    results: {
      accepted:
        "The Client confirms acceptance of the subject of the agreement without reservations. It has been performed in accordance with the agreement.",
      acceptedWithRemarks:
        "The Client confirms acceptance of the subject of the agreement subject to the reservations listed below, which the Contractor shall remedy within the agreed time.",
      rejected: "The Client refuses to accept the subject of the agreement for the reasons listed below.",
    } satisfies Record<AcceptanceResult, string>,
    remarks: "Remarks and reservations:",
    noRemarks: "none",
    closing: "This protocol is made in electronic form and signed by the Parties with electronic signatures.",
  },
};

export const wording: Record<Language, Wording> = { pl, en };
