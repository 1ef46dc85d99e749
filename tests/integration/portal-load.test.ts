// No request may stall the portal or answer 500: slow uploads over real sockets hold no
// verification thread and are cut off; a heavy file verifies on a worker thread while
// /healthz and other uploads are answered; a verification past the hard time limit is
// stopped (the worker terminated) and the portal carries on; the field amplification file
// is bounded; one changed byte anywhere in /Contents is an "invalid" answer, never a 500.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VerificationReport } from "../../verify-portal/core";
import { startPortal, type Portal } from "../../verify-portal/server";
import { createSealing, type Sealing } from "../helpers/attacks";
import { amplifySignatureFields } from "../helpers/verify-revisions";
import { makeLargePdf, makePdf } from "../helpers/verify-pdf-writer";

let sealing: Sealing;
let sealed: Uint8Array;
let heavy: Uint8Array;
let portal: Portal;
let base: string;

beforeAll(async () => {
  sealing = await createSealing();
  sealed = await sealing.seal(await makePdf(1));
  heavy = makeLargePdf(20_000);
  portal = await startPortal({
    port: 0,
    dataDir: sealing.dataDir,
    trust: [],
    rateLimitPerMinute: 0,
    log: false,
    workers: 2,
    // Every test client is 127.0.0.1: room for the slow ones and the others at once.
    maxUploadsPerClient: 16,
    bodyTimeoutMs: 4_000,
    bodyIdleTimeoutMs: 1_500,
  });
  base = `http://127.0.0.1:${portal.port}`;
}, 180_000);

afterAll(async () => {
  await portal?.close();
});

async function api(bytes: Uint8Array, url = base) {
  const body = new FormData();
  body.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), "file.pdf");
  const response = await fetch(`${url}/api/verify`, { method: "POST", body });
  const text = await response.text();
  return { status: response.status, text, report: JSON.parse(text) as VerificationReport };
}

/**
 * A client that announces an upload and then sends it a byte at a time, slowly (or not at
 * all after the first bytes). Resolves with what the server answered once it hangs up.
 */
function slowUpload(options: {
  bytesPerTick: number;
  tickMs: number;
  port?: number;
}): Promise<{ response: string; sent: number }> {
  return new Promise((resolve) => {
    const boundary = "----slow";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const socket = net.connect(options.port ?? portal.port, "127.0.0.1");
    let response = "";
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on("connect", () => {
      socket.write(
        `POST /api/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 200000\r\n\r\n${head}%PDF-1.7\n`,
      );
      if (options.bytesPerTick > 0)
        timer = setInterval(() => {
          if (!socket.writable) return;
          socket.write("x".repeat(options.bytesPerTick));
          sent += options.bytesPerTick;
        }, options.tickMs);
    });
    socket.on("data", (chunk) => {
      response += chunk.toString("latin1");
    });
    const done = () => {
      clearInterval(timer);
      resolve({ response, sent });
    };
    socket.on("close", done);
    socket.on("error", () => undefined);
  });
}

describe("slow uploads", () => {
  it("hold no verification thread, are cut off with a 408, and never keep others waiting", async () => {
    // Six clients dribbling bytes (the 1 KB/s attack, slower still), one that stops sending.
    const slow = [
      ...Array.from({ length: 6 }, () => slowUpload({ bytesPerTick: 8, tickMs: 200 })),
      slowUpload({ bytesPerTick: 0, tickMs: 0 }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Meanwhile everyone else is verified as usual, more uploads than there are threads.
    const others = await Promise.all([api(sealed), api(sealed), api(sealed), api(sealed)]);
    for (const other of others) {
      expect(other.status).toBe(200);
      expect(other.report.verdict).toBe("valid");
    }
    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok\n");
    const answers = await Promise.all(slow);
    for (const answer of answers) {
      expect(answer.response).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer.response).toContain('"error":"upload-timeout"');
    }
    // The dribbling clients got some bytes in before the total limit stopped them.
    expect(answers.slice(0, 6).every((answer) => answer.sent > 0)).toBe(true);
  }, 60_000);

  it("lets one address hold only a few uploads at once", async () => {
    const capped = await startPortal({
      port: 0,
      dataDir: sealing.dataDir,
      trust: [],
      rateLimitPerMinute: 0,
      log: false,
      workers: 1,
      maxUploadsPerClient: 2,
      bodyTimeoutMs: 2_000,
      bodyIdleTimeoutMs: 1_000,
    });
    try {
      const url = `http://127.0.0.1:${capped.port}`;
      const held = [
        slowUpload({ bytesPerTick: 8, tickMs: 200, port: capped.port }),
        slowUpload({ bytesPerTick: 8, tickMs: 200, port: capped.port }),
      ];
      await new Promise((resolve) => setTimeout(resolve, 300));
      const refused = await api(sealed, url);
      expect(refused.status).toBe(503);
      expect(refused.text).toContain('"error":"busy"');
      await Promise.all(held);
      expect((await api(sealed, url)).report.verdict).toBe("valid");
    } finally {
      await capped.close();
    }
  }, 60_000);
});

describe("heavy and hostile files", () => {
  it("verifies a heavy file on a worker thread while /healthz and other uploads are answered", async () => {
    let heavyDone = false;
    const pending = api(heavy).then((result) => {
      heavyDone = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answeredDuring: boolean[] = [];
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok\n");
      latencies.push(Math.round(performance.now() - started));
      answeredDuring.push(!heavyDone);
    }
    const small = await api(sealed);
    answeredDuring.push(!heavyDone);
    expect(small.report.verdict).toBe("valid");
    const result = await pending;
    console.log(`healthz during a heavy verification: ${latencies.join(", ")} ms`);
    expect(result.status).toBe(200);
    expect(result.report).toMatchObject({ verdict: "unsigned", pageCount: 20_000 });
    expect(answeredDuring.every(Boolean)).toBe(true);
  }, 60_000);

  it("stops a verification past the hard time limit and carries on", async () => {
    const strict = await startPortal({
      port: 0,
      dataDir: sealing.dataDir,
      trust: [],
      rateLimitPerMinute: 0,
      log: false,
      workers: 1,
      verifyTimeoutMs: 300,
    });
    try {
      const url = `http://127.0.0.1:${strict.port}`;
      const stopped = await api(heavy, url);
      expect(stopped.status).toBe(200);
      expect(stopped.report).toMatchObject({ verdict: "unreadable", unreadable: { reason: "time-limit" } });
      expect(stopped.report.file.size).toBe(heavy.length);
      // The terminated worker is replaced.
      expect((await api(sealed, url)).report.verdict).toBe("valid");
    } finally {
      await strict.close();
    }
  }, 60_000);

  it("answers the field amplification file once per signature, with a bounded JSON", async () => {
    const amplified = amplifySignatureFields(sealed, 20_000);
    const result = await api(amplified);
    expect(result.status).toBe(200);
    expect(result.report.verdict).toBe("modified");
    expect(result.report.signatures).toHaveLength(1);
    expect(result.report.signatures[0].fieldCount).toBe(20_001);
    expect(result.text.length).toBeLessThan(64 * 1024);
    expect(await (await fetch(`${base}/healthz`)).text()).toBe("ok\n");
  }, 60_000);

  it("answers a changed byte anywhere in /Contents with a verdict, never a 500", async () => {
    const report = (await api(sealed)).report;
    const [, gapStart, gapEnd] = report.signatures[0].byteRange!;
    const statuses = new Map<number, number>();
    const verdicts = new Set<string>();
    for (let position = gapStart; position < gapEnd; position += 61) {
      for (const replacement of ["0", "f", "G", ">"]) {
        const mutated = Uint8Array.from(sealed);
        mutated[position] = replacement.charCodeAt(0);
        const page = await fetch(`${base}/verify`, {
          method: "POST",
          body: (() => {
            const data = new FormData();
            data.append("file", new Blob([mutated as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), "m.pdf");
            return data;
          })(),
        });
        statuses.set(page.status, (statuses.get(page.status) ?? 0) + 1);
        await page.text();
        const result = await api(mutated);
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        verdicts.add(result.report.verdict);
      }
    }
    expect([...statuses.keys()]).toEqual([200]);
    expect([...verdicts].every((verdict) => verdict === "invalid" || verdict === "valid")).toBe(true);
    expect(verdicts).toContain("invalid");
  }, 120_000);
});
