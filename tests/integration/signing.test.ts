// The signing flow over real HTTP: the director by e-mail code, the client by SMS code, the
// sealed PDF checked with pdfsig against the instance CA, the audit page by text extraction;
// and the refusals: wrong, exhausted codes, foreign tokens, decline, cancel, concurrent Sign.
import fs from "node:fs/promises";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../helpers/http";
import { parsePdfsig, runPdfsig, trustedNssDir } from "../helpers/pdfsig";
import { startApp, type RunningApp } from "../helpers/server";
import { firstLink, startSmtp } from "../helpers/smtp";
import { codeIn, createAndSendDemoInvoice, startSmsGateway, waitUntil } from "../helpers/signing";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let sms: Awaited<ReturnType<typeof startSmsGateway>>;
const DIRECTOR = "director@demo.signet.test";
const CLIENT_PHONE = "+48601234567";
const CLIENT_EMAIL = "g.brzeczyszczykiewicz@smak.example";

beforeAll(async () => {
  smtp = await startSmtp();
  sms = await startSmsGateway();
  app = await startApp({ DEMO: "1", SMTP_URL: smtp.url, SMS_WEBHOOK_URL: sms.url, SIGNING_POLL_MS: "300" });
});

afterAll(async () => {
  if (process.env.SHOW_SERVER_LOG) console.log(app?.output());
  await app?.stop();
  await smtp?.close();
  await sms?.close();
});

async function pngImage(width = 300, height = 120, color = "#1d4ed8") {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext("2d");
  context.fillStyle = color;
  context.beginPath();
  context.arc(width / 2, height / 2, Math.min(width, height) / 2 - 4, 0, Math.PI * 2);
  context.fill();
  return canvas.encode("png");
}

async function jpegImage() {
  const canvas = createCanvas(400, 150);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, 400, 150);
  context.strokeStyle = "#000";
  context.lineWidth = 4;
  context.beginPath();
  context.moveTo(20, 120);
  context.bezierCurveTo(100, 10, 200, 140, 380, 30);
  context.stroke();
  return canvas.encode("jpeg", 85);
}

function upload(intent: string, bytes: Uint8Array, filename: string, type: string) {
  const form = new FormData();
  form.set("intent", intent);
  form.set("method", "upload");
  form.set("file", new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}

const pathOf = (link: string) => new URL(link).pathname;

/** Opens a link, accepts the terms, and confirms the code read by `readCode`. */
async function confirm(signer: Client, link: string, readCode: () => Promise<string>) {
  const opened = await signer.page(pathOf(link));
  expect(opened.response.status).toBe(200);
  expect(opened.html).toContain("Electronic signing: terms");
  const refused = await signer.post(pathOf(link), { intent: "accept" });
  expect(refused.status).toBe(400);
  const accepted = await signer.post(pathOf(link), { intent: "accept", terms: "on" });
  expect(accepted.status).toBe(302);
  const code = await readCode();
  const confirmed = await signer.post(pathOf(link), { intent: "code", code });
  expect(confirmed.status).toBe(302);
  expect(confirmed.headers.get("set-cookie")).toMatch(/signet_signer=.*HttpOnly.*SameSite=Lax/i);
}

describe("signing over HTTP", () => {
  it("director by e-mail code, client by SMS code, sealed PDF valid with the instance CA trusted", async () => {
    const { id, db, schema } = await createAndSendDemoInvoice(app.dataDir, { clientChannel: "sms" });
    const { eq } = await import("drizzle-orm");
    const invitation = await smtp.waitFor(DIRECTOR, (m) => m.subject.includes("Please sign"));
    const directorLink = firstLink(invitation.text, "/s/");
    const director = new Client(app.url);

    // before the code: no page images, no original
    expect((await director.get(`${pathOf(directorLink)}/page/1`)).status).toBe(404);

    await confirm(director, directorLink, async () => {
      const mail = await smtp.waitFor(DIRECTOR, (m) => m.subject.includes("Your code"));
      expect(mail.text).not.toContain("/s/"); // the code comes in a separate e-mail, without the link
      return codeIn(mail.subject);
    });
    const review = await director.page(`${pathOf(directorLink)}?step=review`);
    expect(review.html).toContain("Read the document");
    expect(review.html.length).toBeLessThan(60_000);
    const preview = await director.get(`${pathOf(directorLink)}/page/1`);
    expect(preview.headers.get("content-type")).toBe("image/jpeg");
    const original = await director.get(`${pathOf(directorLink)}/original.pdf`);
    expect(original.headers.get("content-type")).toBe("application/pdf");

    // a bad image is refused with a message; the signature typed, the stamp uploaded
    const bad = await director.post(
      `${pathOf(directorLink)}?step=stamp`,
      upload("stamp", new TextEncoder().encode("GIF89a not really"), "x.gif", "image/gif"),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Choose a PNG or JPEG image.");
    const typed = await director.post(pathOf(directorLink), {
      intent: "signature",
      method: "typed",
      typedName: "Zofia Żółkiewska",
    });
    expect(typed.status).toBe(302);
    const stamp = await director.post(
      pathOf(directorLink),
      upload("stamp", await pngImage(), "stamp.png", "image/png"),
    );
    expect(stamp.status).toBe(302);

    // the client's link does not exist yet; now sign (twice, at once)
    const signs = await Promise.all([
      director.post(pathOf(directorLink), { intent: "sign", keepImages: "on" }),
      director.post(pathOf(directorLink), { intent: "sign", keepImages: "on" }),
    ]);
    expect(signs.map((r) => r.status)).toEqual([302, 302]);
    expect((await director.page(pathOf(directorLink))).html).toContain("Thank you, you signed");
    const signedEvents = db
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.documentId, id))
      .all()
      .filter((e) => e.action === "signer.signed");
    expect(signedEvents).toHaveLength(1);
    const company = db.select().from(schema.companies).all()[0];
    expect(company.directorSignatureKey).toBeTruthy();

    // the client: SMS link, SMS code, data, signature, Sign
    const invitationSms = await sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("/s/"));
    const clientLink = firstLink(invitationSms.text, "/s/");
    const client = new Client(app.url);
    // the director's session does not open the client's link
    expect((await director.page(pathOf(clientLink))).html).toContain("Electronic signing: terms");
    await confirm(client, clientLink, async () =>
      codeIn((await sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("code"))).text),
    );
    const badNip = await client.post(`${pathOf(clientLink)}?step=data`, {
      intent: "data",
      fullName: "Grzegorz Brzęczyszczykiewicz",
      position: "Prezes Zarządu",
      companyName: "Smak S.A.",
      taxId: "7251801127",
    });
    expect(badNip.status).toBe(400);
    expect(await badNip.text()).toContain("Enter a valid tax ID");
    const data = await client.post(pathOf(clientLink), {
      intent: "data",
      fullName: "Grzegorz Brzęczyszczykiewicz",
      position: "Prezes Zarządu",
      companyName: "Łódzkie Zakłady Mięsne „Smak” S.A.",
      taxId: "725-180-11-26",
    });
    expect(data.status).toBe(302);
    // Sign before the signature is refused
    const early = await client.post(`${pathOf(clientLink)}?step=preview`, { intent: "sign" });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain("Please add your signature first.");
    const signature = await client.post(
      pathOf(clientLink),
      upload("signature", await jpegImage(), "podpis.jpg", "image/jpeg"),
    );
    expect(signature.status).toBe(302);
    const previewPage = await client.page(`${pathOf(clientLink)}?step=preview`);
    expect(previewPage.html).toContain("/image/client-signature");
    expect(previewPage.html).toContain("/image/company-signature");
    expect((await client.post(pathOf(clientLink), { intent: "sign" })).status).toBe(302);

    const sealed = await waitUntil(() => {
      const row = db.select().from(schema.documents).where(eq(schema.documents.id, id)).get();
      return row?.stage === "signed" ? row : null;
    });
    expect(sealed.sealPendingSince).toBeNull();
    expect(db.select().from(schema.registry).where(eq(schema.registry.publicId, sealed.publicId)).get()?.sha256).toBe(
      sealed.sealedSha256,
    );

    // every party's link shows the outcome and the download
    const outcome = await client.page(pathOf(clientLink));
    expect(outcome.html).toContain("The document is signed");
    const pdfResponse = await client.get(`${pathOf(clientLink)}/signed.pdf`);
    expect(pdfResponse.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await pdfResponse.arrayBuffer());
    expect(crypto.subtle).toBeDefined();

    // the download links in the messages (SMS to the client, e-mail to director and owner)
    const doneSms = await sms.waitFor(CLIENT_PHONE, (m) => m.text.includes("/dl/"));
    const viaSms = await fetch(firstLink(doneSms.text, "/dl/"));
    expect(Buffer.from(await viaSms.arrayBuffer()).equals(pdf)).toBe(true);
    const doneMail = await smtp.waitFor(DIRECTOR, (m) => m.text.includes("/dl/"));
    expect((await fetch(firstLink(doneMail.text, "/dl/"))).headers.get("content-type")).toBe("application/pdf");
    await smtp.waitFor("ewa@demo.signet.test", (m) => m.text.includes("/dl/"));

    // pdfsig, trusting the CA downloaded from the app
    const caPem = await (await fetch(`${app.url}/ca.pem`)).text();
    expect(caPem).toContain("BEGIN CERTIFICATE");
    const file = path.join(app.dataDir, "signed.pdf");
    await fs.writeFile(file, pdf);
    const report = await runPdfsig(file, await trustedNssDir(caPem));
    expect(report).toContain("Signature is Valid.");
    expect(report).toContain("Certificate is Trusted.");
    const [signatureInfo] = parsePdfsig(report);
    expect(signatureInfo.totalDocumentSigned).toBe(true);

    // the audit page
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Audit trail");
    expect(text).toContain(sealed.number);
    expect(text).toContain(sealed.originalSha256);
    expect(text).toContain("Code confirmed");
    expect(text).toContain(`/d/${sealed.publicId}`);
    expect(text).toMatch(/page 1 of \d+/);
    expect(text).toContain("725-180-11-26");
    const chain = db.select().from(schema.auditEvents).where(eq(schema.auditEvents.documentId, id)).all();
    const head = chain
      .filter(
        (e) =>
          e.at.getTime() <= sealed.completedAt!.getTime() &&
          e.action !== "document.sealed" &&
          e.action !== "document.delivered",
      )
      .at(-1)!.hash;
    expect(text.replace(/\s+/g, "")).toContain(head);

    // a replayed code, a foreign token
    expect((await client.post(pathOf(clientLink), { intent: "code", code: "123456" })).status).toBe(302);
    expect((await new Client(app.url).get(`/s/${"x".repeat(32)}`)).status).toBe(404);
  });
});
