// Signing tests: an SMS gateway that keeps what it receives, and documents created and sent
// in the test process straight through the domain (on the test server's DATA_DIR).
import http from "node:http";
import { createCanvas } from "@napi-rs/canvas";
import { eq } from "drizzle-orm";
import { Client } from "./http";
import { freePort } from "./server";
import { firstLink } from "./smtp";

export interface CapturedSms {
  to: string;
  text: string;
}

export async function startSmsGateway() {
  const messages: CapturedSms[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("error", () => {}); // an app restarted mid-request
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
        if (Date.now() > deadline)
          throw new Error(`no SMS to ${to}; got: ${messages.map((m) => `${m.to}: ${m.text}`).join(" | ")}`);
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
export async function createAndSendDemoInvoice(
  dataDir: string,
  options: {
    clientChannel?: "email" | "sms";
    requiredFields?: ("fullName" | "position" | "companyName" | "taxId")[];
    stampRequired?: boolean;
    deadlineDays?: number;
    ownerEmail?: string;
    dealTitle?: string;
  } = {},
) {
  process.env.DATA_DIR = dataDir;
  const { getDb, schema } = await import("~db/client");
  const { createDocumentFromDeal, findDocument } = await import("~/documents/documents.server");
  const { sendForSigning } = await import("~/documents/send.server");
  const db = getDb();
  const row = await waitUntil(() =>
    db
      .select()
      .from(schema.users)
      .where(eq(schema.users.email, options.ownerEmail ?? "ewa@demo.signet.test"))
      .get(),
  );
  const user = {
    id: row.id,
    companyId: row.companyId,
    email: row.email,
    name: row.name,
    role: row.role,
    teamId: row.teamId,
    language: row.language,
  };
  const deal = db
    .select()
    .from(schema.deals)
    .where(eq(schema.deals.title, options.dealTitle ?? "Wdrożenie systemu e-Podpis"))
    .get()!;
  const meta = { ip: "127.0.0.1", userAgent: "signing test" };
  const id = await createDocumentFromDeal(user, deal.id, "invoice", "en", meta);
  if (!id) throw new Error("deal out of scope");
  const document = findDocument(user, id)!;
  const sent = await sendForSigning(
    user,
    document,
    {
      clientChannel: options.clientChannel ?? "sms",
      clientRequiredFields: options.requiredFields ?? ["fullName", "position", "companyName", "taxId"],
      clientStampRequired: options.stampRequired ?? false,
      deadlineDays: options.deadlineDays ?? 14,
      reminderEveryDays: 2,
      reminderMax: 3,
    },
    meta,
  );
  if (!sent.ok) throw new Error(`not sent: ${JSON.stringify(sent.errors)}`);
  return { id, user, db, schema };
}

/**
 * The usual steps of a signing test against a running server whose director and client are
 * reached by e-mail (the demo data): send an invoice, confirm a code, sign as the director,
 * log in as the owner. `ip` sends an X-Forwarded-For (the server must run with TRUST_PROXY=1).
 */
export function signingSteps(
  app: { url: string; dataDir: string },
  smtp: { messages: Array<{ to: string; subject: string; text: string }> },
) {
  const DIRECTOR = "director@demo.signet.test";
  const pathOf = (link: string) => new URL(link).pathname;

  async function sentInvoice(options: Parameters<typeof createAndSendDemoInvoice>[1] = {}) {
    const before = smtp.messages.length;
    const sent = await createAndSendDemoInvoice(app.dataDir, { clientChannel: "email", ...options });
    const number = sent.db
      .select()
      .from(sent.schema.documents)
      .where(eq(sent.schema.documents.id, sent.id))
      .get()!.number;
    const mail = await waitUntil(() =>
      smtp.messages.slice(before).find((m) => m.to === DIRECTOR && m.subject.includes(number)),
    );
    return { ...sent, number, link: firstLink(mail.text, "/s/") };
  }

  async function latestCode(to: string, after: number) {
    const mail = await waitUntil(() =>
      smtp.messages
        .slice(after)
        .reverse()
        .find((m) => m.to === to && m.subject.includes("code")),
    );
    return codeIn(mail.subject);
  }

  /** Accepts the terms on `link` and confirms the code mailed to `to`; returns the signer's client. */
  async function confirmed(link: string, to = DIRECTOR, headers: Record<string, string> = {}) {
    const signer = new Client(app.url);
    const before = smtp.messages.length;
    const accepted = await signer.post(pathOf(link), { intent: "accept", terms: "on" }, headers);
    if (accepted.status !== 302) throw new Error(`accept refused: ${accepted.status}`);
    const code = await latestCode(to, before);
    const verified = await signer.post(pathOf(link), { intent: "code", code }, headers);
    if (verified.status !== 302) throw new Error(`code refused: ${verified.status}`);
    return signer;
  }

  /** The director adds a typed signature and a stamp; signs unless `sign` is false. */
  async function directorReady(link: string, sign = true) {
    const director = await confirmed(link);
    const typed = await director.post(pathOf(link), {
      intent: "signature",
      method: "typed",
      typedName: "Zofia Żółkiewska",
    });
    const form = new FormData();
    form.set("intent", "stamp");
    form.set("method", "upload");
    const canvas = createCanvas(200, 100);
    canvas.getContext("2d").fillRect(10, 10, 180, 80);
    form.set("file", new Blob([new Uint8Array(await canvas.encode("png"))], { type: "image/png" }), "stamp.png");
    const stamp = await director.post(pathOf(link), form);
    if (typed.status !== 302 || stamp.status !== 302)
      throw new Error(`director images refused: ${typed.status} ${stamp.status}`);
    if (sign) {
      const signed = await director.post(pathOf(link), { intent: "sign" });
      if (signed.status !== 302) throw new Error(`director sign refused: ${signed.status}`);
    }
    return director;
  }

  /** The client's link from the invitation that follows the director's signature. */
  async function clientLink(number: string, to = "g.brzeczyszczykiewicz@smak.example") {
    const mail = await waitUntil(() =>
      smtp.messages.find((m) => m.to === to && m.text.includes("/s/") && m.subject.includes(number)),
    );
    return firstLink(mail.text, "/s/");
  }

  async function owner(email = "ewa@demo.signet.test") {
    const client = new Client(app.url);
    const response = await client.post("/login", { email, password: "signet-demo-2026" });
    if (response.status !== 302) throw new Error(`login failed: ${response.status}`);
    return client;
  }

  return { pathOf, sentInvoice, latestCode, confirmed, directorReady, clientLink, owner };
}
