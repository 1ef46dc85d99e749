// Signet's own long-term seals, as the app makes them with a time-stamping authority
// (ADR 008): PAdES B-LTA (a signature time-stamp, a DSS, a document time-stamp) is valid,
// and so is a renewed file (another DSS and document time-stamp), which the registry knows
// by its first revisions: the registered document with validation data added since.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pdfLib from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevelopmentTsa, type RunningDevelopmentTsa } from "../../dev-tsa/server";
import { certificatesFromPem, verifyPdf, type RegistryEntry } from "../../verify-portal/core";
import { headline, translator } from "../../verify-portal/i18n";
import { TrustStore } from "../../verify-portal/trust";
import { loadSealIdentity, type SealIdentity } from "~/seal/keys.server";
import { renewTimestamp } from "~/seal/renew.server";
import { sealPdf } from "~/seal/seal.server";
import { TimestampAuthority, tsaTrustAnchors } from "~/seal/tsp.server";

let root: string;
let tsa: RunningDevelopmentTsa;
let identity: SealIdentity;
let authority: TimestampAuthority;
let trusted: Uint8Array[];
let sealed: Buffer;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "signet-verify-long-term-"));
  tsa = await startDevelopmentTsa({ dir: path.join(root, "dev-tsa") });
  identity = await loadSealIdentity(root, {});
  authority = new TimestampAuthority({ url: tsa.url, trustAnchors: tsaTrustAnchors([tsa.caFile]) });
  // The portal of this instance: its CA, and the development TSA beside it in DATA_DIR.
  trusted = new TrustStore(root, [], 0).certificates();
  const document = await pdfLib.PDFDocument.create();
  const font = await document.embedFont(pdfLib.StandardFonts.Helvetica);
  document.addPage([595, 842]).drawText("Invoice FV/2026/0001", { x: 50, y: 780, size: 14, font });
  sealed = await sealPdf(await document.save(), {
    reason: "Document signed by all parties",
    name: "Signet",
    identity,
    timestampAuthority: authority,
  });
}, 120_000);

afterAll(async () => {
  await tsa?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const registryOf = (file: Uint8Array) => {
  const sha256 = crypto.createHash("sha256").update(file).digest("hex");
  return (asked: string): RegistryEntry | null =>
    asked === sha256
      ? { publicId: "p1", documentNumber: "FV/2026/0001", completedAt: new Date(), signatureCount: 2, sha256 }
      : null;
};

describe("Signet's long-term seals", () => {
  it("trusts the instance CA and its development TSA by default", async () => {
    const ca = certificatesFromPem(await fs.readFile(tsa.caFile, "utf8"))[0];
    expect(trusted.some((der) => Buffer.from(der).equals(Buffer.from(ca)))).toBe(true);
    expect(trusted.length).toBe(2);
  });

  it("judges a B-LTA seal valid: signature time-stamp, DSS, document time-stamp", async () => {
    const report = await verifyPdf(sealed, { trustedCertificates: trusted, registry: registryOf(sealed) });
    expect(report.verdict).toBe("valid");
    expect(report.registry.match).toBe(true);
    expect(report.signatures.map((signature) => signature.type)).toEqual(["signature", "document-timestamp"]);
    const [seal, stamp] = report.signatures;
    expect(seal).toMatchObject({ signet: true, timestamp: { valid: true }, changesAfter: { allowed: true } });
    expect(stamp).toMatchObject({ coversWholeFile: true, timestamp: { valid: true } });
    const categories = report.revisions
      .filter((revision) => revision.compared)
      .flatMap((revision) => revision.categories);
    expect(new Set(categories)).toEqual(new Set(["validation-data", "document-timestamp"]));
    expect(report.warnings).toEqual([]);
  });

  it("judges a renewed seal valid, as the registered document with validation data added", async () => {
    const renewed = await renewTimestamp(sealed, {
      authority,
      trustAnchors: tsaTrustAnchors([tsa.caFile]),
      identity,
    });
    const report = await verifyPdf(renewed, { trustedCertificates: trusted, registry: registryOf(sealed) });
    expect(report.verdict).toBe("valid");
    expect(report.signatures.map((signature) => signature.type)).toEqual([
      "signature",
      "document-timestamp",
      "document-timestamp",
    ]);
    expect(report.registry).toMatchObject({
      match: false,
      earlier: { documentNumber: "FV/2026/0001", bytes: sealed.length },
    });
    expect(headline(report, translator("en"), "en")).toMatch(
      /^Intact: this is the signed document FV\/2026\/0001, completed .*, with validation data added since$/,
    );
  });
});
