// Seal benchmark: median time to seal a 1-page invoice and a 100-page
// document, with our signer and, side by side, @signpdf's stock P12Signer.
// Run alone: npx tsx scripts/bench/seal.ts
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import forge from "node-forge";
import pdfLib from "pdf-lib";
import { SignPdf } from "@signpdf/signpdf";
import { P12Signer } from "@signpdf/signer-p12";
import { loadSealIdentity, type SealIdentity } from "~/seal/keys.server";
import { addSignaturePlaceholder } from "~/seal/placeholder.server";
import { sealPdf } from "~/seal/seal.server";

const { PDFDocument, StandardFonts, rgb } = pdfLib;

export interface BenchResult {
  name: string;
  medianMs: number;
}

export async function benchSeal(options: { iterations?: number } = {}): Promise<BenchResult[]> {
  const iterations = options.iterations ?? 25;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-bench-seal-"));
  try {
    const identity = await loadSealIdentity(dataDir, {}); // generated keys, whatever SEAL_P12 says
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
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function median(iterations: number, task: () => Promise<unknown>) {
  for (let warmUp = 0; warmUp < 3; warmUp++) await task();
  const times: number[] = [];
  for (let run = 0; run < iterations; run++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  const value = times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
  return Math.round(value * 100) / 100;
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

/** Text, a table of items and totals per page, like the invoices users seal. */
async function invoicePdf(pages: number): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  const bold = await document.embedFont(StandardFonts.HelveticaBold);
  for (let index = 0; index < pages; index++) {
    const page = document.addPage([595, 842]);
    page.drawText(`Invoice FV/2026/03/${String(index + 1).padStart(4, "0")}`, { x: 50, y: 780, size: 16, font: bold });
    page.drawText("Seller: Example Ltd, VAT 1234567890   Buyer: Client Ltd, VAT 0987654321", { x: 50, y: 755, size: 9, font });
    for (let row = 0; row < 20; row++) {
      const y = 720 - row * 18;
      page.drawLine({ start: { x: 50, y: y - 4 }, end: { x: 545, y: y - 4 }, thickness: 0.3, color: rgb(0.7, 0.7, 0.7) });
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
