// What a document template is filled from, and what rendering gives back.
// Money is integer minor units in `currency`, quantities integer thousandths,
// VAT rates basis points (VAT_EXEMPT = -1 for "zw."), dates ISO "YYYY-MM-DD".

export type PaymentMethod = "transfer" | "cash" | "card" | "prepayment";

export interface SellerData {
  /** Legal name, e.g. "Drukarnia Łódź Sp. z o.o." */
  name: string;
  /** NIP, printed as given. */
  taxId: string;
  /** Street, postcode and city; "\n" or ", " separate lines. */
  address: string;
  /** Account number (IBAN or NRB); grouped in fours when printed. */
  bankAccount: string;
  bankName?: string;
  /** Person who signs for the company (the director). */
  representative: string;
  /** Their function, e.g. "Prezes Zarządu". */
  representativeTitle?: string;
}

export interface BuyerData {
  name: string;
  /** NIP; empty for a consumer. */
  taxId: string;
  address: string;
  /** Person who signs for the client. */
  contactName: string;
  contactTitle?: string;
}

export interface DocumentItem {
  name: string;
  /** Unit of measure as printed: "szt.", "godz.", "usł.", "pcs", "h". */
  unit: string;
  quantityMilli: number;
  unitNetMinor: number;
  vatRateBp: number;
}

/** Services agreement specifics. */
export interface ContractTerms {
  /** What the contractor does, one sentence or paragraph: "świadczenie usług księgowych". */
  subject: string;
  startDate: string;
  /** Absent: concluded for an indefinite period. */
  endDate?: string;
  /** Days from receiving the invoice to pay; default 14. */
  paymentDays?: number;
  /** Days of notice for termination; default 30. */
  noticeDays?: number;
  /** Extra clauses, each printed as its own numbered paragraph. */
  clauses?: string[];
}

export type AcceptanceResult = "accepted" | "acceptedWithRemarks" | "rejected";

/** Acceptance protocol specifics. */
export interface ProtocolTerms {
  /** The agreement or order the delivery is accepted under, e.g. "UM/2026/0007". */
  contractNumber?: string;
  contractDate?: string;
  /** Day of acceptance; defaults to issueDate. */
  acceptanceDate?: string;
  result: AcceptanceResult;
  /** Remarks or defects found; printed when given, required in practice for the last two results. */
  remarks?: string;
}

export interface DocumentSourceData {
  /** Document number, e.g. "FV/2026/0001". */
  number: string;
  /** Heading override for contracts and protocols; invoices always say "Faktura VAT". */
  title?: string;
  /** Where the document is issued, e.g. "Łódź". */
  placeOfIssue?: string;
  issueDate: string;
  /** Date of sale / delivery / completion of service. */
  saleDate: string;
  dueDate: string;
  paymentMethod: PaymentMethod;
  seller: SellerData;
  buyer: BuyerData;
  items: DocumentItem[];
  /** ISO 4217, e.g. "PLN". */
  currency: string;
  notes?: string;
  /** Printed on invoices with exempt items: the legal basis of the exemption. */
  vatExemptionBasis?: string;
  /** Prints "mechanizm podzielonej płatności" (split payment) on the invoice. */
  splitPayment?: boolean;
  contract?: ContractTerms;
  protocol?: ProtocolTerms;
}

export type PartyRole = "company" | "client";

/** A predefined place for a party's signature or stamp; page is 1-based, x/y the lower-left corner in PDF points. */
export interface SignatureBox {
  partyRole: PartyRole;
  kind: "signature" | "stamp";
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RenderedDocument {
  pdf: Uint8Array;
  /** [width, height] in PDF points per page. */
  pageSizes: [number, number][];
  boxes: SignatureBox[];
}
