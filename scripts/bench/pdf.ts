// PDF benchmark: median time to generate an invoice with 10 items, to render the
// previews of a 10-page upload (all pages, desktop size, no cache), and to check
// that upload. Run alone with `npx tsx scripts/bench/pdf.ts`.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { renderInvoice } from "~/documents/templates/index.server";
import { inspectPdf } from "~/pdf/inspect.server";
import { renderPagePreview } from "~/pdf/previews.server";
import { manyItems, sampleDocument } from "../../tests/helpers/documents";
import { makePdf } from "../../tests/helpers/pdfs";
import { median } from "./median";

export interface BenchResult {
  name: string;
  medianMs: number;
}

export async function benchPdf(options: { iterations?: number } = {}): Promise<BenchResult[]> {
  const iterations = options.iterations ?? 9;
  const invoice = sampleDocument({ items: manyItems(10) });
  const upload = await makePdf(10);
  return [
    { name: "invoice, 10 items (pl)", medianMs: await median(iterations, () => renderInvoice(invoice, "pl")) },
    {
      name: "previews, 10-page upload, desktop, no cache",
      medianMs: await median(Math.max(3, Math.ceil(iterations / 2)), async () => {
        for (let page = 1; page <= 10; page++) await renderPagePreview(upload, page, "desktop");
      }),
    },
    { name: "inspectPdf, 10-page upload", medianMs: await median(iterations, () => inspectPdf(upload)) },
  ];
}

async function main() {
  const results = await benchPdf();
  const width = Math.max(...results.map((result) => result.name.length));
  console.log(`${"benchmark".padEnd(width)}  median ms`);
  for (const result of results) console.log(`${result.name.padEnd(width)}  ${result.medianMs.toFixed(2).padStart(9)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
