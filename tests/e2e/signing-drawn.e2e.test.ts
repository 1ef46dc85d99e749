// The drawn signature with JavaScript on: the client draws on the canvas with the mouse in
// Chromium, signs, and the sealed PDF carries that drawing as an image in the box's page.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PNG } from "pngjs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../helpers/db";
import { launchBrowser, newContext } from "../helpers/browser";
import { startApp, type RunningApp } from "../helpers/server";
import { signingSteps } from "../helpers/signing";
import { startSmtp } from "../helpers/smtp";

let app: RunningApp;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let browser: Browser;
const CLIENT_EMAIL = "g.brzeczyszczykiewicz@smak.example";

beforeAll(async () => {
  smtp = await startSmtp();
  app = await startApp({ DEMO: "1", SMTP_URL: smtp.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await smtp?.close();
});

describe("drawn signature, JavaScript on", () => {
  it("a signature drawn with the mouse ends up as an image in the sealed PDF", async () => {
    const steps = signingSteps(app, smtp);
    const sent = await steps.sentInvoice({ requiredFields: [] });
    await steps.directorReady(sent.link);
    const link = await steps.clientLink(sent.number);

    const context = await newContext(browser, { javaScript: true, phone: false });
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel("I accept the terms of electronic signing").check();
    const before = smtp.messages.length;
    await page.getByRole("button", { name: /^Accept and send me a code/ }).click();
    await page.getByLabel("Code", { exact: true }).fill(await steps.latestCode(CLIENT_EMAIL, before));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByRole("heading", { name: "Read the document" }).waitFor();

    await page.goto(`${link}?step=signature`);
    const pad = page.locator("canvas.draw-pad");
    await pad.waitFor();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.7);
    await page.mouse.down();
    for (let step = 1; step <= 20; step++) {
      await page.mouse.move(
        box.x + box.width * (0.1 + step * 0.04),
        box.y + box.height * (0.5 + 0.3 * Math.sin(step / 2)),
      );
    }
    await page.mouse.up();
    await page.getByRole("button", { name: "Use the drawing" }).click();
    await page.getByRole("heading", { name: "Your stamp" }).waitFor();
    await page.goto(`${link}?step=preview`);
    await page.getByRole("button", { name: "Sign", exact: true }).click();
    await page.getByRole("heading", { name: "The document is signed" }).waitFor({ timeout: 30_000 });
    await context.close();

    // the stored drawing: from the canvas, with ink on it
    const db = openTestDb(app.dataDir);
    const party = db
      .prepare("select id, signature_image_key from parties where document_id = ? and role = 'client'")
      .get(sent.id) as { id: string; signature_image_key: string };
    const added = db
      .prepare(
        "select details from audit_events where document_id = ? and action = 'signer.image_added' and actor_id = ?",
      )
      .all(sent.id, party.id) as { details: string }[];
    const sealedKey = (
      db.prepare("select sealed_file_key from documents where id = ?").get(sent.id) as { sealed_file_key: string }
    ).sealed_file_key;
    const boxPage = (
      db
        .prepare("select page from boxes where document_id = ? and party_role = 'client' and kind = 'signature'")
        .get(sent.id) as { page: number }
    ).page;
    db.close();
    expect(added.map((a) => JSON.parse(a.details).method)).toEqual(["drawn"]);
    const drawing = PNG.sync.read(await fs.readFile(path.join(app.dataDir, "files", party.signature_image_key)));
    let inked = 0;
    for (let i = 3; i < drawing.data.length; i += 4) if (drawing.data[i] > 0) inked++;
    expect(inked).toBeGreaterThan(200);

    // the sealed PDF has an image of the drawing's size on the page of the client's box
    const { stdout } = await promisify(execFile)("pdfimages", ["-list", path.join(app.dataDir, "files", sealedKey)]);
    const images = stdout
      .split("\n")
      .slice(2)
      .map((line) => line.trim().split(/\s+/))
      .filter((cells) => cells.length > 4)
      .map(([pageNumber, , type, width, height]) => ({
        page: Number(pageNumber),
        type,
        width: Number(width),
        height: Number(height),
      }));
    expect(images).toContainEqual({ page: boxPage, type: "image", width: drawing.width, height: drawing.height });
  });
});
