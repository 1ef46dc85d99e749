// `npm run bench`: every performance figure the issues ask for, printed as tables.
// Each part lives in scripts/bench/<area>.ts and can also run alone (npx tsx scripts/bench/<area>.ts).
import { benchPdf } from "./bench/pdf";
import { benchSeal } from "./bench/seal";
import { benchVerify } from "./bench/verify";
import { benchBoard } from "./bench/board";
import { benchImages } from "./bench/images";

type Row = Record<string, string | number | undefined>;

function printTable(title: string, rows: Row[]) {
  console.log(`\n${title}`);
  console.table(
    rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === "number" ? Number(v.toFixed(v < 10 ? 2 : 1)) : v]),
      ),
    ),
  );
}

const parts: Array<[string, () => Promise<Row[]>]> = [
  ["Documents: generation and previews (median ms)", () => benchPdf() as unknown as Promise<Row[]>],
  ["Sealing: Signet signer vs @signpdf P12Signer (median ms)", () => benchSeal() as unknown as Promise<Row[]>],
  ["Verification (per second; /healthz latency in ms)", () => benchVerify() as unknown as Promise<Row[]>],
  ["e-Signature board at 50,000 documents (median ms, page bytes)", () => benchBoard() as unknown as Promise<Row[]>],
  [
    "Image bombs: delay of a concurrent GET /login while 3 uploads go in (ms)",
    () => benchImages() as unknown as Promise<Row[]>,
  ],
];

const only = process.argv.slice(2);
for (const [title, run] of parts) {
  if (only.length > 0 && !only.some((word) => title.toLowerCase().includes(word.toLowerCase()))) continue;
  printTable(title, await run());
}
process.exit(0);
