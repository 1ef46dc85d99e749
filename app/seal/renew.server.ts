// Keeping a sealed PDF's evidence alive (PAdES B-LTA renewal): before the certificate of
// its last time-stamp expires, add a DSS with that time-stamp's chain and fresh CRLs, then
// a new document time-stamp over everything. Each round protects the evidence before it;
// the file's earlier bytes never change. `npm run seal:renew` runs this over the archive
// (app/signing/renew-seals.server.ts).
import crypto from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { CMS_OID } from "./cms.server";
import { addDss, signaturesIn, type SignatureInFile } from "./dss.server";
import type { SealIdentity } from "./keys.server";
import { addDocumentTimestamp, addValidationData } from "./seal.server";
import { checkTimestampToken, type TimestampAuthority } from "./tsp.server";
import { collectValidationData } from "./validation-data.server";

export type RenewalCheck =
  /** The last time-stamp's certificate expires within the window (or already has). */
  | { status: "due"; notAfter: Date; signature: SignatureInFile }
  | { status: "not-due"; notAfter: Date }
  /** Sealed without a TSA (PAdES B-B): nothing to renew; `includeUnstamped` time-stamps it now. */
  | { status: "no-timestamp" };

/** Whether the file's last time-stamp needs renewing before `now + withinDays`. */
export async function checkRenewal(pdf: Buffer, options: { withinDays: number; now?: Date }): Promise<RenewalCheck> {
  const now = options.now ?? new Date();
  const signatures = await signaturesIn(pdf);
  const last = signatures.at(-1);
  if (!last) throw new Error("the file has no signature");
  const token = last.subFilter === "ETSI.RFC3161" ? last.contents : signatureTimestampToken(last.contents);
  if (!token) return { status: "no-timestamp" };
  const notAfter = tokenSignerNotAfter(token);
  const due = notAfter.getTime() - now.getTime() <= options.withinDays * 86_400_000;
  return due ? { status: "due", notAfter, signature: last } : { status: "not-due", notAfter };
}

/**
 * Adds validation data for the file's last time-stamp (or, for a B-B file, for the seal)
 * and a new document time-stamp. The old token is checked again first (its imprint over
 * the file's bytes, signature, chain to TSA_TRUST): a broken file is not renewed.
 */
export async function renewTimestamp(
  pdf: Buffer,
  options: { authority: TimestampAuthority; trustAnchors: Buffer[]; identity: SealIdentity },
): Promise<Buffer> {
  const signatures = await signaturesIn(pdf);
  const last = signatures.at(-1);
  if (!last) throw new Error("the file has no signature");
  if (last.subFilter !== "ETSI.RFC3161") {
    // B-B (no time-stamp yet): as at sealing, the chain the seal's CMS carries, then a
    // time-stamp. A seal whose certificate has been revoked since cannot be rescued: refused.
    const withDss = await addValidationData(pdf, [{ chain: cmsCertificates(last.contents) }], {
      identity: options.identity,
      issuedAfter: new Date(),
    });
    return addDocumentTimestamp(withDss, options.authority);
  }
  const [start, firstLength, secondStart, secondLength] = last.byteRange;
  const covered = Buffer.concat([
    pdf.subarray(start, start + firstLength),
    pdf.subarray(secondStart, secondStart + secondLength),
  ]);
  const tokenDer = last.contents.subarray(0, asn1js.fromBER(new Uint8Array(last.contents)).offset);
  const token = await checkTimestampToken(Buffer.from(tokenDer), {
    digest: crypto.createHash("sha256").update(covered).digest(),
    trustAnchors: options.trustAnchors,
  });
  const data = await collectValidationData([token.chain], { issuedAfter: new Date() });
  if (data.missing.length > 0) {
    console.warn(
      `seal:renew: no revocation data for ${data.missing.join("; ")}; the DSS holds their certificates only`,
    );
  }
  const withDss = await addDss(pdf, [{ signature: last, certificates: data.certificates, crls: data.crls }]);
  if (!withDss.subarray(0, pdf.length).equals(pdf)) throw new Error("Renewal changed the document's bytes");
  return addDocumentTimestamp(withDss, options.authority);
}

/** The signature time-stamp token inside a seal's CMS (unsigned attribute), or null. */
export function signatureTimestampToken(cmsWithPadding: Buffer): Buffer | null {
  try {
    const parsed = asn1js.fromBER(new Uint8Array(cmsWithPadding));
    const signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: parsed.result }).content });
    const attribute = signedData.signerInfos[0]?.unsignedAttrs?.attributes.find(
      (candidate) => candidate.type === CMS_OID.signatureTimeStampToken,
    );
    return attribute ? Buffer.from(attribute.values[0].toBER()) : null;
  } catch {
    return null;
  }
}

/** The certificates a seal's CMS carries, in its order (the seal's first). */
function cmsCertificates(cmsWithPadding: Buffer): Buffer[] {
  const parsed = asn1js.fromBER(new Uint8Array(cmsWithPadding));
  const signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: parsed.result }).content });
  return (signedData.certificates ?? [])
    .filter((entry): entry is pkijs.Certificate => entry instanceof pkijs.Certificate)
    .map((certificate) => Buffer.from(certificate.toSchema().toBER()));
}

/** notAfter of the certificate that signed a time-stamp token. */
function tokenSignerNotAfter(tokenWithPadding: Buffer): Date {
  const parsed = asn1js.fromBER(new Uint8Array(tokenWithPadding));
  const signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: parsed.result }).content });
  const sid = signedData.signerInfos[0]?.sid;
  const certificates = (signedData.certificates ?? []).filter(
    (entry): entry is pkijs.Certificate => entry instanceof pkijs.Certificate,
  );
  const signer =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certificates.find(
          (certificate) => certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber),
        )
      : certificates[0];
  if (!signer) throw new Error("the time-stamp token does not carry its certificate");
  return signer.notAfter.value;
}
