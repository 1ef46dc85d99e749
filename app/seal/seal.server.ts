// Seals a finished PDF with the instance seal: PAdES baseline B-B, one
// invisible signature over the whole file, added as an incremental update.
import { SignPdf } from "@signpdf/signpdf";
import type { SealIdentity } from "./keys.server";
import { addSignaturePlaceholder } from "./placeholder.server";
import { SealSigner } from "./signer.server";

export interface SealOptions {
  reason: string;
  location?: string;
  contactInfo?: string;
  /** Shown as the signer's name in viewers (/Name). */
  name: string;
  /** Goes into /M; defaults to now. */
  signingTime?: Date;
  identity: SealIdentity;
}

// Slack over the measured CMS size: room for nothing else, the CMS of one
// identity has a fixed size (RSA signatures are as long as the modulus).
const CONTENTS_SLACK = 32;

const signers = new WeakMap<SealIdentity, { signer: SealSigner; signatureLength: number }>();

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

/**
 * Returns the sealed file: the input bytes unchanged, followed by the
 * signature update. The signature's ByteRange reaches the end of the file.
 */
export async function sealPdf(pdf: Uint8Array, options: SealOptions): Promise<Buffer> {
  const { signer, signatureLength } = signerFor(options.identity);
  const original = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
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
  if (!sealed.subarray(0, original.length).equals(original)) {
    throw new Error("Sealing changed the document's own bytes");
  }
  return sealed;
}
