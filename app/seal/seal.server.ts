// Seals a finished PDF with the instance seal: one invisible signature over the whole
// file, added as an incremental update. Without a time-stamping authority that is PAdES
// baseline B-B. With one (TSA_URL) it is PAdES B-LTA, in three updates after the document:
//   B-T   the seal's CMS carries a signature time-stamp token over its signature value;
//   B-LT  a DSS with the seal's and the TSA's chains and a CRL for each certificate;
//   B-LTA a document time-stamp (ETSI.RFC3161) over the whole file, DSS included.
// Every step checks that the bytes before it are untouched. ADR 002 and ADR 008.
import { SignPdf } from "@signpdf/signpdf";
import { Signer } from "@signpdf/utils";
import { instanceCrl } from "./crl.server";
import { addDss, signaturesIn } from "./dss.server";
import { loadInstanceCa, type SealIdentity } from "./keys.server";
import { addDocumentTimestampPlaceholder, addSignaturePlaceholder } from "./placeholder.server";
import { SealSigner } from "./signer.server";
import type { TimestampAuthority, TimestampToken } from "./tsp.server";
import { collectValidationData } from "./validation-data.server";

export interface SealOptions {
  reason: string;
  location?: string;
  contactInfo?: string;
  /** Shown as the signer's name in viewers (/Name). */
  name: string;
  /** Goes into /M; defaults to now. */
  signingTime?: Date;
  identity: SealIdentity;
  /** With a TSA the seal is PAdES B-LTA; any failure of it throws (never a bare time instead). */
  timestampAuthority?: TimestampAuthority;
}

// Slack over the measured CMS size: room for nothing else, the CMS of one
// identity has a fixed size (RSA signatures are as long as the modulus).
const CONTENTS_SLACK = 32;
// Room for a token before a TSA's first answer says how big its tokens are; afterwards
// the largest seen plus a margin (a TSA's tokens differ by a few bytes of serial and time).
const FIRST_TOKEN_RESERVE = 12 * 1024;
const TOKEN_MARGIN = 512;

const signers = new WeakMap<SealIdentity, { signer: SealSigner; signatureLength: number }>();
const tokenLengths = new Map<string, number>();

function signerFor(identity: SealIdentity) {
  let entry = signers.get(identity);
  if (!entry) {
    const signer = new SealSigner(identity);
    // One trial signature gives the exact CMS size: the placeholder is then no bigger than needed.
    entry = { signer, signatureLength: signer.signDetached(Buffer.alloc(0)).length + CONTENTS_SLACK };
    signers.set(identity, entry);
  }
  return entry;
}

function tokenReserve(authority: TimestampAuthority) {
  const seen = tokenLengths.get(authority.url);
  return seen ? seen + TOKEN_MARGIN : FIRST_TOKEN_RESERVE;
}

function rememberTokenLength(authority: TimestampAuthority, token: TimestampToken) {
  tokenLengths.set(authority.url, Math.max(tokenLengths.get(authority.url) ?? 0, token.der.length));
}

/**
 * Returns the sealed file: the input bytes unchanged, followed by the signature update
 * (and, with a TSA, the DSS and the document time-stamp). The seal's ByteRange reaches
 * the end of its own update.
 */
export async function sealPdf(pdf: Uint8Array, options: SealOptions): Promise<Buffer> {
  const original = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const authority = options.timestampAuthority;
  if (!authority) {
    const { signer, signatureLength } = signerFor(options.identity);
    return appendSignature(original, signatureLength, signer, options);
  }
  const { signed, token } = await signWithTimestamp(original, options, authority);
  const withDss = await addValidationData(signed, [{ chain: options.identity.chain }, { chain: token.chain }], {
    identity: options.identity,
    issuedAfter: token.genTime,
  });
  return addDocumentTimestamp(withDss, authority);
}

async function appendSignature(original: Buffer, signatureLength: number, signer: Signer, options: SealOptions) {
  const withPlaceholder = await addSignaturePlaceholder(original, {
    reason: options.reason,
    name: options.name,
    location: options.location,
    contactInfo: options.contactInfo,
    signingTime: options.signingTime ?? new Date(),
    signatureLength,
  });
  const sealed = await new SignPdf().sign(withPlaceholder, signer);
  // @signpdf finds the placeholder by searching the bytes: make sure it filled
  // ours, in the appended part, by checking the original bytes are untouched.
  assertPrefix(sealed, original);
  return sealed;
}

/** PAdES B-T: the seal with a signature time-stamp token in its CMS. */
async function signWithTimestamp(original: Buffer, options: SealOptions, authority: TimestampAuthority) {
  const { signer, signatureLength } = signerFor(options.identity);
  let token: TimestampToken | undefined;
  const timestamped = new (class extends Signer {
    async sign(content: Buffer) {
      return signer.signDetachedWithTimestamp(content, async (signatureValue) => {
        token = await authority.timestamp(signatureValue);
        rememberTokenLength(authority, token);
        return token.der;
      });
    }
  })();
  // Attribute and SET headers around the token: a few bytes, well inside the margin.
  let reserve = tokenReserve(authority);
  for (let attempt = 1; ; attempt++) {
    try {
      const signed = await appendSignature(original, signatureLength + reserve, timestamped, options);
      return { signed, token: token! };
    } catch (error) {
      // A bigger token than reserved (a TSA's first answer, or one that changed its chain): once more, with room.
      if (attempt > 1 || !token || !/exceeds placeholder/i.test((error as Error).message)) throw error;
      reserve = token.der.length + TOKEN_MARGIN;
    }
  }
}

/** PAdES B-LT: a DSS for the last signature of `pdf` (seal or document time-stamp). */
export async function addValidationData(
  pdf: Buffer,
  chains: { chain: Buffer[] }[],
  options: { identity: SealIdentity; issuedAfter: Date },
) {
  const signatures = await signaturesIn(pdf);
  const last = signatures.at(-1);
  if (!last) throw new Error("no signature to add validation data for");
  const instanceCa = options.identity.instanceCa
    ? await loadInstanceCa(options.identity.instanceCa.dataDir).then((ca) => ({
        der: ca.der,
        crl: (issuedAfter: Date) => instanceCrl(options.identity.instanceCa!.dataDir, { issuedAfter }),
      }))
    : undefined;
  const data = await collectValidationData(
    chains.map(({ chain }) => chain),
    { instanceCa, issuedAfter: options.issuedAfter },
  );
  if (data.missing.length > 0) {
    console.warn(`seal: no revocation data for ${data.missing.join("; ")}; the DSS holds their certificates only`);
  }
  const withDss = await addDss(pdf, [{ signature: last, certificates: data.certificates, crls: data.crls }]);
  assertPrefix(withDss, pdf);
  return withDss;
}

/** PAdES B-LTA: a document time-stamp over the whole file as it is. */
export async function addDocumentTimestamp(pdf: Buffer, authority: TimestampAuthority): Promise<Buffer> {
  let token: TimestampToken | undefined;
  const timestamper = new (class extends Signer {
    async sign(content: Buffer) {
      token = await authority.timestamp(content);
      rememberTokenLength(authority, token);
      return token.der;
    }
  })();
  let reserve = tokenReserve(authority);
  for (let attempt = 1; ; attempt++) {
    try {
      const stamped = await new SignPdf().sign(await addDocumentTimestampPlaceholder(pdf, reserve), timestamper);
      assertPrefix(stamped, pdf);
      return stamped;
    } catch (error) {
      if (attempt > 1 || !token || !/exceeds placeholder/i.test((error as Error).message)) throw error;
      reserve = token.der.length + TOKEN_MARGIN;
    }
  }
}

function assertPrefix(result: Buffer, before: Buffer) {
  if (!result.subarray(0, before.length).equals(before)) {
    throw new Error("Sealing changed the document's own bytes");
  }
}
