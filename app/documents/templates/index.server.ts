// Document templates: fill from DocumentSourceData, get a PDF, its page sizes and the
// predefined signature/stamp boxes of both parties.
export { renderInvoice } from "./invoice.server";
export { renderContract } from "./contract.server";
export { renderProtocol } from "./protocol.server";
export type {
  AcceptanceResult,
  BuyerData,
  ContractTerms,
  DocumentItem,
  DocumentSourceData,
  PartyRole,
  PaymentMethod,
  ProtocolTerms,
  RenderedDocument,
  SellerData,
  SignatureBox,
} from "./types";
