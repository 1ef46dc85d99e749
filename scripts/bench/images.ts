// Image bombs against the running app: the worst and median delay of a GET /login, polled one
// after another, while three uploads of a 4890 × 4890 PNG (23.9 MP in 23 KB) and three of a
// 2000 × 2000 PNG (within the pixel budget, so decoded in the worker pool) go in at once to a
// signing page. The app runs as `npm start` does (server.ts on a free port, a real SMTP server);
// needs `npx remix build` first. Run alone: npx tsx scripts/bench/images.ts
import zlib from "node:zlib";
import { startAppWithInbox } from "../../tests/helpers/inbox";
import { signingSteps } from "../../tests/helpers/signing";
import { median } from "./median";

export interface ImageBenchResult {
  case: string;
  "GET /login median ms (idle)": number;
  "GET /login median ms (during)": number;
  "GET /login worst ms (during)": number;
  "worst delay ms": number;
}

function zeroPng(width: number, height: number) {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.alloc((width + 1) * height), { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export async function benchImages(): Promise<ImageBenchResult[]> {
  const { app, inbox, stop } = await startAppWithInbox({ DEMO: "1" });
  try {
    const steps = signingSteps(app, inbox.smtp);
    for (let attempt = 0; ; attempt++) {
      try {
        await steps.owner();
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const probe = async () => {
      const started = performance.now();
      await (await fetch(`${app.url}/login`)).text();
      return performance.now() - started;
    };
    const results: ImageBenchResult[] = [];
    for (const [name, bytes] of [
      ["3 × 4890×4890 PNG bombs (23.9 MP)", zeroPng(4890, 4890)],
      ["3 × 2000×2000 PNG (4 MP, decoded)", zeroPng(2000, 2000)],
    ] as const) {
      const sent = await steps.sentInvoice();
      const director = await steps.confirmed(sent.link);
      const upload = async () => {
        const form = new FormData();
        form.set("intent", "stamp");
        form.set("method", "upload");
        form.set("file", new Blob([new Uint8Array(bytes)], { type: "image/png" }), "stamp.png");
        await (await director.post(`${new URL(sent.link).pathname}?step=stamp`, form)).text();
      };
      await upload(); // warm-up
      const idleMedian = await median(15, probe);
      const during: number[] = [];
      let uploading = true;
      const watcher = (async () => {
        while (uploading) during.push(await probe());
      })();
      await Promise.all([upload(), upload(), upload()]);
      uploading = false;
      await watcher;
      during.sort((a, b) => a - b);
      results.push({
        case: name,
        "GET /login median ms (idle)": idleMedian,
        "GET /login median ms (during)": during[Math.floor(during.length / 2)],
        "GET /login worst ms (during)": Math.max(...during),
        "worst delay ms": Math.max(...during) - idleMedian,
      });
    }
    return results;
  } finally {
    await stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchImages());
  process.exit(0);
}
