// Seal benchmark: median time to seal a 1-page invoice and a 100-page
// document, with our signer and, side by side, @signpdf's stock P12Signer; and for
// the 1-page invoice the whole completion step (signature and stamp images drawn into
// the boxes, the stripe on every page, the audit page with its QR code, then the seal)
// next to the seal alone, as PAdES B-B and as PAdES B-LTA against the development TSA
// (time-stamps over HTTP on this machine: a real TSA adds its network round trips, twice).
// Run alone: npx tsx scripts/bench/seal.ts
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import crypto from "node:crypto";
import { createCanvas } from "@napi-rs/canvas";
import forge from "node-forge";
import pdfLib from "pdf-lib";
import { SignPdf } from "@signpdf/signpdf";
import { P12Signer } from "@signpdf/signer-p12";
import type { AuditEvent } from "~/audit/audit.server";
import { renderTypedSignature } from "~/pdf/images.server";
import { loadSealIdentity, type SealIdentity } from "~/seal/keys.server";
import { addSignaturePlaceholder } from "~/seal/placeholder.server";
import { sealPdf } from "~/seal/seal.server";
import { TimestampAuthority, tsaTrustAnchors } from "~/seal/tsp.server";
import { buildFinalPdf } from "~/signing/complete.server";
import type { schema } from "~db/client";
import { startDevelopmentTsa } from "../../dev-tsa/server";
import { median } from "./median";

const { PDFDocument, StandardFonts, rgb } = pdfLib;

export interface BenchResult {
  name: string;
  medianMs: number;
}

export async function benchSeal(options: { iterations?: number } = {}): Promise<BenchResult[]> {
  const iterations = options.iterations ?? 25;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-bench-seal-"));
  let closeTsa: (() => Promise<void>) | undefined;
  try {
    const identity = await loadSealIdentity(dataDir, {}); // generated keys, whatever SEAL_P12 says
    const running = await startDevelopmentTsa({ dir: path.join(dataDir, "dev-tsa") });
    closeTsa = running.close;
    const tsa = {
      authority: new TimestampAuthority({ url: running.url, trustAnchors: tsaTrustAnchors([running.caFile]) }),
    };
    const p12 = toP12(identity, "bench");
    const documents = [
      { label: "1-page invoice", bytes: await invoicePdf(1) },
      { label: "100-page document", bytes: await invoicePdf(100) },
    ];
    const sealOptions = { reason: "Benchmark", name: "Signet benchmark", identity };
    const results: BenchResult[] = [];
    for (const { label, bytes } of documents) {
      results.push({
        name: `seal ${label}, Signet signer`,
        medianMs: await median(iterations, () => sealPdf(bytes, sealOptions)),
      });
      // the whole completion step, next to the seal alone
      if (label === "1-page invoice") {
        results.push({
          name: `seal ${label}, Signet signer, PAdES B-LTA (development TSA)`,
          medianMs: await median(iterations, () =>
            sealPdf(bytes, { ...sealOptions, timestampAuthority: tsa.authority }),
          ),
        });
        const completion = await completionInput(bytes);
        results.push({
          name: `complete ${label} (images, stripes, audit page, seal), PAdES B-B`,
          medianMs: await median(iterations, async () => sealPdf(await buildFinalPdf(completion), sealOptions)),
        });
        // The same with the development TSA over HTTP on this machine: two time-stamps, the CRLs, the DSS.
        results.push({
          name: `complete ${label}, PAdES B-LTA (development TSA)`,
          medianMs: await median(iterations, async () =>
            sealPdf(await buildFinalPdf(completion), { ...sealOptions, timestampAuthority: tsa.authority }),
          ),
        });
      }
      results.push({
        name: `seal ${label}, @signpdf P12Signer`,
        // Same placeholder code; a new P12Signer each time since one signs only once.
        medianMs: await median(iterations, async () => {
          const withPlaceholder = await addSignaturePlaceholder(Buffer.from(bytes), {
            reason: sealOptions.reason,
            name: sealOptions.name,
            signingTime: new Date(),
            signatureLength: 8192,
          });
          return new SignPdf().sign(withPlaceholder, new P12Signer(p12, { passphrase: "bench" }));
        }),
      });
    }
    return results;
  } finally {
    await closeTsa?.();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** A PKCS#12 of the generated seal for P12Signer, made with node-forge (no openssl needed). */
function toP12(identity: SealIdentity, password: string): Buffer {
  const key = forge.pki.privateKeyFromPem(identity.privateKey.export({ type: "pkcs8", format: "pem" }) as string);
  const certificates = identity.chain.map((der) =>
    forge.pki.certificateFromAsn1(forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")))),
  );
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates, password, { algorithm: "3des" });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

type DocumentRow = typeof schema.documents.$inferSelect;
type PartyRow = typeof schema.parties.$inferSelect;
type BoxRow = typeof schema.boxes.$inferSelect;

/**
 * What completion (app/signing/complete.server.ts) hands buildFinalPdf for a signed invoice:
 * the director's typed signature and stamp, the client's drawn signature and data, four
 * boxes on page 1 and the ~20 audit events of a usual signing.
 */
async function completionInput(original: Uint8Array): Promise<Parameters<typeof buildFinalPdf>[0]> {
  const signedAt = new Date("2026-03-02T10:15:00Z");
  const document = {
    id: "bench-document",
    companyId: "bench-company",
    publicId: "Bench0Public0Id0",
    number: "FV/2026/03/0001",
    title: "Invoice FV/2026/03/0001",
    language: "en",
    clientChannel: "sms",
    originalSha256: crypto.createHash("sha256").update(original).digest("hex"),
  } as DocumentRow;
  const party = (role: "company" | "client", name: string, extra: Partial<PartyRow>) =>
    ({
      id: `bench-${role}`,
      documentId: document.id,
      role,
      signingOrder: role === "company" ? 1 : 2,
      name,
      companyName: role === "company" ? "Example Ltd" : "Client Ltd",
      email: `${role}@example.com`,
      phone: "+48601234567",
      status: "signed",
      signedAt,
      codeVerifiedAt: signedAt,
      providedData: null,
      signatureImageKey: null,
      stampImageKey: null,
      ...extra,
    }) as PartyRow;
  const parties = [
    party("company", "Zofia Żółkiewska", { signatureImageKey: "company-signature", stampImageKey: "company-stamp" }),
    party("client", "Grzegorz Brzęczyszczykiewicz", {
      signatureImageKey: "client-signature",
      providedData: JSON.stringify({
        fullName: "Grzegorz Brzęczyszczykiewicz",
        position: "Prezes Zarządu",
        companyName: "Client Ltd",
        taxId: "725-180-11-26",
      }),
    }),
  ];
  const box = (partyRole: "company" | "client", kind: "signature" | "stamp", x: number) =>
    ({
      id: `${partyRole}-${kind}`,
      documentId: document.id,
      partyRole,
      kind,
      page: 1,
      x,
      y: 120,
      width: 150,
      height: 60,
    }) as BoxRow;
  const boxes = [box("company", "signature", 50), box("company", "stamp", 210), box("client", "signature", 390)];
  const stamp = createCanvas(360, 200);
  const context = stamp.getContext("2d");
  context.strokeStyle = "#b42318";
  context.lineWidth = 8;
  context.strokeRect(10, 10, 340, 180);
  const drawn = createCanvas(600, 200);
  const pen = drawn.getContext("2d");
  pen.lineWidth = 3;
  pen.beginPath();
  pen.moveTo(40, 150);
  for (let x = 40; x < 560; x += 8) pen.lineTo(x, 100 + 50 * Math.sin(x / 30));
  pen.stroke();
  const images = new Map<string, Uint8Array>([
    ["company-signature", await renderTypedSignature("Zofia Żółkiewska")],
    ["company-stamp", await stamp.encode("png")],
    ["client-signature", await drawn.encode("png")],
  ]);
  const actions = [
    "document.created",
    "document.company_signing",
    "signer.invited",
    "signer.terms_accepted",
    "signer.viewed",
    "signer.code_sent",
    "signer.code_verified",
    "signer.image_added",
    "signer.image_added",
    "signer.signed",
    "document.client_signing",
    "signer.invited",
    "signer.terms_accepted",
    "signer.viewed",
    "signer.code_sent",
    "signer.code_failed",
    "signer.code_verified",
    "signer.data_provided",
    "signer.image_added",
    "signer.signed",
  ];
  let previous = "0".repeat(64);
  const events = actions.map((action, index) => {
    const hash = crypto.createHash("sha256").update(`${previous}${action}${index}`).digest("hex");
    const event = {
      id: index + 1,
      companyId: document.companyId,
      documentId: document.id,
      at: new Date(signedAt.getTime() - (actions.length - index) * 60_000),
      actorType: action.startsWith("signer.") ? "signer" : "user",
      actorId: null,
      actorLabel: index < 10 ? "company: Zofia Żółkiewska" : "client: Grzegorz Brzęczyszczykiewicz",
      action,
      details: action === "signer.code_sent" ? JSON.stringify({ channel: "sms" }) : "{}",
      ip: "203.0.113.7",
      userAgent:
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
      prevHash: previous,
      hash,
    } as AuditEvent;
    previous = hash;
    return event;
  });
  return { original, document, parties, boxes, images, events, chainHead: previous, company: "Example Ltd" };
}

/** Text, a table of items and totals per page, like the invoices users seal. */
async function invoicePdf(pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  for (let index = 0; index < pages; index++) {
    const page = document.addPage([595, 842]);
    page.drawText(`Invoice FV/2026/03/${String(index + 1).padStart(4, "0")}`, { x: 50, y: 780, size: 16, font: bold });
    page.drawText("Seller: Example Ltd, VAT 1234567890   Buyer: Client Ltd, VAT 0987654321", {
      x: 50,
      y: 755,
      size: 9,
      font,
    });
    for (let row = 0; row < 20; row++) {
      const y = 720 - row * 18;
      page.drawLine({
        start: { x: 50, y: y - 4 },
        end: { x: 545, y: y - 4 },
        thickness: 0.3,
        color: rgb(0.7, 0.7, 0.7),
      });
      page.drawText(`${row + 1}. Service item ${row + 1}`, { x: 55, y, size: 9, font });
      page.drawText(`${(row + 1) * 100},00 PLN`, { x: 470, y, size: 9, font });
    }
    page.drawText("Total: 21 000,00 PLN", { x: 420, y: 340, size: 11, font: bold });
    page.drawText(`page ${index + 1} of ${pages}`, { x: 50, y: 20, size: 7, font, color: rgb(0.5, 0.5, 0.5) });
  }
  return document.save();
}

function printTable(results: BenchResult[]) {
  const width = Math.max(...results.map((result) => result.name.length));
  console.log(`${"benchmark".padEnd(width)}  median ms`);
  for (const result of results) console.log(`${result.name.padEnd(width)}  ${result.medianMs.toFixed(2).padStart(9)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  printTable(await benchSeal());
}
