// Signing tests: an SMS gateway that keeps what it receives, and documents created and sent
// in the test process straight through the domain (on the test server's DATA_DIR).
import http from "node:http";
import { eq } from "drizzle-orm";
import { freePort } from "./server";

export interface CapturedSms {
  to: string;
  text: string;
}

export async function startSmsGateway() {
  const messages: CapturedSms[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      try {
        messages.push(JSON.parse(body) as CapturedSms);
        response.writeHead(200).end("ok");
      } catch {
        response.writeHead(400).end("bad json");
      }
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}/sms`,
    messages,
    async waitFor(to: string, predicate: (m: CapturedSms) => boolean = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = [...messages].reverse().find((m) => m.to === to && predicate(m));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no SMS to ${to}; got: ${messages.map((m) => `${m.to}: ${m.text}`).join(" | ")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function codeIn(text: string) {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`no code in: ${text}`);
  return match[1];
}

export async function waitUntil<T>(probe: () => T | null | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * Creates an invoice from a demo deal and sends it for signing, in this process, on the
 * server's database (the demo data must be seeded: DEMO=1). Returns the document id.
 */
export async function createAndSendDemoInvoice(dataDir: string, options: { clientChannel?: "email" | "sms"; requiredFields?: ("fullName" | "position" | "companyName" | "taxId")[]; stampRequired?: boolean; deadlineDays?: number; ownerEmail?: string; dealTitle?: string } = {}) {
  process.env.DATA_DIR = dataDir;
  const { getDb, schema } = await import("~db/client");
  const { createDocumentFromDeal, findDocument } = await import("~/documents/documents.server");
  const { sendForSigning } = await import("~/documents/send.server");
  const db = getDb();
  const row = await waitUntil(() => db.select().from(schema.users).where(eq(schema.users.email, options.ownerEmail ?? "ewa@demo.signet.test")).get());
  const user = { id: row.id, companyId: row.companyId, email: row.email, name: row.name, role: row.role, teamId: row.teamId, language: row.language };
  const deal = db.select().from(schema.deals).where(eq(schema.deals.title, options.dealTitle ?? "Wdrożenie systemu e-Podpis")).get()!;
  const meta = { ip: "127.0.0.1", userAgent: "signing test" };
  const id = await createDocumentFromDeal(user, deal.id, "invoice", "en", meta);
  if (!id) throw new Error("deal out of scope");
  const document = findDocument(user, id)!;
  const sent = await sendForSigning(user, document, {
    clientChannel: options.clientChannel ?? "sms",
    clientRequiredFields: options.requiredFields ?? ["fullName", "position", "companyName", "taxId"],
    clientStampRequired: options.stampRequired ?? false,
    deadlineDays: options.deadlineDays ?? 14,
    reminderEveryDays: 2,
    reminderMax: 3,
  }, meta);
  if (!sent.ok) throw new Error(`not sent: ${JSON.stringify(sent.errors)}`);
  return { id, user, db, schema };
}
