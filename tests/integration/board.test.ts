// The e-Signature board, list and team page over real HTTP: scope per role, filters, bad input,
// card actions and forged posts (refused, nothing changes).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBoardCompany } from "../helpers/board";
import { openTestDb } from "../helpers/db";
import { Client, login } from "../helpers/http";
import { startApp, type RunningApp } from "../helpers/server";

let app: RunningApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  // the fixture has an overdue document in progress: keep the signing worker from expiring it mid-test
  app = await startApp({ SIGNING_POLL_MS: "3600000" });
  Object.assign(ids, await seedBoardCompany(app));
});

afterAll(async () => {
  if (process.env.BOARD_DEBUG) fs.writeFileSync("/tmp/board-server.log", app.output());
  await app?.stop();
});

async function as(email: string) {
  const client = new Client(app.url);
  await login(client, email);
  return client;
}

function stageOf(id: string) {
  const db = openTestDb(app.dataDir);
  try {
    return (db.prepare("select stage from documents where id = ?").get(id) as { stage: string }).stage;
  } finally {
    db.close();
  }
}

/** The titles of the cards in one column of the board's HTML. */
function column(html: string, key: string): string[] {
  const match = new RegExp(`data-column="${key}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  if (!match) return [];
  return [...match[1].matchAll(/<li class="k[^"]*"><a [^>]*>[^<]+<\/a> ?(?:<!-- -->)?([^<]*)/g)].map((m) =>
    m[1].trim(),
  );
}

describe("board", () => {
  it("shows one column per stage with counts, and a card's details", async () => {
    const emil = await as("emil@example.com");
    const { response, html } = await emil.page("/documents");
    if (process.env.BOARD_DEBUG) fs.writeFileSync("/tmp/board.html", html);
    expect(response.status).toBe(200);
    const headings = [...html.matchAll(/<h2 id="col-[^"]+">([^<]+)(?:<!-- -->)? <span class="count">(\d+)</g)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(headings).toEqual([
      "Draft 24",
      "Sent 2",
      "Partially signed 1",
      "Fully signed 2",
      "Archive 1",
      "Not signed 3",
    ]);
    expect(column(html, "sent")).toEqual(expect.arrayContaining(["Emil company_signing", "Quarry lease"]));
    expect(column(html, "not-signed")).toEqual(
      expect.arrayContaining(["Emil declined", "Emil expired", "Emil cancelled"]),
    );
    expect(column(html, "partially-signed")).toEqual(["Emil client_signing"]);
    // the overdue quarry lease: client, owner, next signer, mark
    const card = /<li class="k late">[\s\S]*?<\/li>/.exec(html)?.[0] ?? "";
    expect(card).toContain("Quarry lease");
    expect(card).toContain("Kamieniołom Żółw");
    expect(card).toContain("Emil Employee");
    expect(card).toContain("Zofia Director");
    expect(card).toContain("Overdue");
    expect(card).toMatch(/PLN\s123\.45/);
    // an employee sees only their own documents
    expect(html).not.toContain("Seb ");
  });

  it("shows 20 cards per column and a 'more' link to the rest", async () => {
    const emil = await as("emil@example.com");
    const { html } = await emil.page("/documents");
    expect(column(html, "draft")).toHaveLength(20);
    const more = /href="(\/documents\?stage=draft&amp;page=2)"/.exec(html)?.[1]?.replace("&amp;", "&");
    expect(more).toBeDefined();
    const next = await emil.page(more!);
    expect(column(next.html, "draft")).toHaveLength(4);
    expect(next.html).not.toContain('data-column="sent"');
  });

  it("pages a searched column the same way: newest in the stage first, 20 and then the rest", async () => {
    const emil = await as("emil@example.com");
    const board = await emil.page("/documents?q=draft");
    const first = column(board.html, "draft");
    expect(first).toHaveLength(20);
    expect(first.slice(0, 3)).toEqual(["Emil draft", "Bulk draft 1", "Bulk draft 2"]);
    const next = await emil.page("/documents?q=draft&stage=draft&page=2");
    expect(column(next.html, "draft")).toEqual(["Bulk draft 20", "Bulk draft 21", "Bulk draft 22", "Bulk draft 23"]);
  });

  it("filters by search, stage and owner through GET parameters", async () => {
    const admin = await as("admin@example.com");
    const search = await admin.page("/documents?q=quarry");
    expect(column(search.html, "sent")).toEqual(["Quarry lease"]);
    expect(column(search.html, "draft")).toEqual([]);
    const byNumber = await admin.page("/documents/list?q=T%2F2026%2F0017");
    expect(byNumber.html).toContain("Quarry lease");
    expect(byNumber.html).toContain("1 documents");
    const byOwner = await admin.page(`/documents/list?owner=${ids.seb}&stage=not-signed`);
    expect(byOwner.html).toContain("3 documents");
    expect(byOwner.html).toContain("Seb declined");
    const byClient = await admin.page("/documents?client=baltic&stage=signed");
    expect(column(byClient.html, "signed")).toEqual(["Seb signed"]);
  });

  it("answers unknown filter values and pages out of range with a message, not an error", async () => {
    const admin = await as("admin@example.com");
    const odd = await admin.page("/documents?stage=nonsense&owner=nobody&period=forever&team=x");
    expect(odd.response.status).toBe(200);
    expect(odd.html).toContain("Some filters were not recognised and were left out: owner, team, stage, period.");
    const far = await admin.page("/documents/list?page=999&sort=bogus");
    expect(far.response.status).toBe(200);
    expect(far.html).toContain("Page 999 does not exist; showing page 3.");
    expect(far.html).toContain("left out: sort");
    const weird = await admin.page("/documents/list?page=-5&sort=amount&dir=sideways");
    expect(weird.response.status).toBe(200);
  });

  it("sorts the list by plain links", async () => {
    const admin = await as("admin@example.com");
    const { html } = await admin.page("/documents/list?sort=title&dir=desc&stage=archive");
    const titles = [...html.matchAll(/<tr><td><a [^>]*>[^<]+<\/a><\/td><td>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(titles).toEqual(["Seb archived", "Emil archived"]);
    expect(html).toContain("/documents/list?stage=archive&amp;sort=title&amp;dir=asc");
  });

  it("sorts the list by owner name, then document id, on every page and both ways", async () => {
    const db = openTestDb(app.dataDir);
    let expected: Record<"asc" | "desc", string[]>;
    try {
      const order = (dir: string) =>
        (
          db
            .prepare(`select d.title from documents d join users u on u.id = d.owner_id
        order by u.name ${dir}, d.id ${dir}`)
            .all() as { title: string }[]
        ).map((r) => r.title);
      expected = { asc: order("asc"), desc: order("desc") };
    } finally {
      db.close();
    }
    const admin = await as("admin@example.com");
    for (const dir of ["asc", "desc"] as const) {
      const titles: string[] = [];
      for (let page = 1; page <= Math.ceil(expected[dir].length / 20); page++) {
        const { html } = await admin.page(`/documents/list?sort=owner&dir=${dir}&page=${page}`);
        titles.push(...[...html.matchAll(/<tr><td><a [^>]*>[^<]+<\/a><\/td><td>([^<]+)<\/td>/g)].map((m) => m[1]));
      }
      expect(titles).toEqual(expected[dir]);
    }
  });

  it("a supervisor sees the team's documents, not another team's", async () => {
    const sara = await as("sara@example.com");
    const board = await sara.page("/documents");
    expect(board.html).toContain("Emil signed");
    expect(board.html).not.toContain("Seb signed");
    const forged = await sara.page(`/documents?team=${ids.south}`);
    expect(forged.html).toContain("left out: team");
    expect(forged.html).not.toContain("Seb signed");
    const byOwner = await sara.page(`/documents/list?owner=${ids.seb}`);
    expect(byOwner.html).not.toContain("Seb signed");
  });
});

describe("team progress", () => {
  it("shows a supervisor their team's people, counts, median and overdue documents, never another team", async () => {
    const sara = await as("sara@example.com");
    const { response, html } = await sara.page("/team");
    expect(response.status).toBe(200);
    const emilRow = /<tr data-person="Emil Employee">[\s\S]*?<\/tr>/.exec(html)?.[0] ?? "";
    const cells = [...emilRow.matchAll(/<td class="num">(?:<a [^>]*>)?([^<]+)/g)].map((m) => m[1]);
    // Draft, Sent, Partially, Fully signed, Archive, Not signed, week, month, median
    expect(cells.slice(0, 6)).toEqual(["24", "2", "1", "2", "1", "3"]);
    expect(Number(cells[6])).toBeGreaterThanOrEqual(1);
    expect(cells[8]).toBe("2 d");
    expect(html).toContain('data-person="Sara Supervisor"');
    expect(html).not.toContain("Seb Employee");
    expect(html).toContain("Quarry lease");
    const sam = await as("sam@example.com");
    const other = await sam.page(`/team?team=${ids.north}`);
    expect(other.html).not.toContain("Emil Employee");
    expect(other.html).not.toContain("Quarry lease");
    expect(other.html).toContain("Seb Employee");
    const emil = await as("emil@example.com");
    expect((await emil.get("/team")).status).toBe(404);
    const admin = await as("admin@example.com");
    const south = await admin.page(`/team?team=${ids.south}`);
    expect(south.html).toContain("Seb Employee");
    expect(south.html).not.toContain("Emil Employee");
    const all = await admin.page("/team?team=nonsense");
    expect(all.html).toContain("left out: team");
    expect(all.html).toContain("Emil Employee");
  });
});

describe("card actions", () => {
  it("archives a signed document and restores it", async () => {
    const emil = await as("emil@example.com");
    const id = ids["Emil signed"];
    const archived = await emil.post(
      "/documents/board",
      { intent: "archive", id },
      { Referer: `${app.url}/documents?q=Emil` },
    );
    expect(archived.status).toBe(302);
    expect(archived.headers.get("location")).toBe("/documents?q=Emil&done=archive&n=T%2F2026%2F0004");
    expect(stageOf(id)).toBe("archived");
    const board = await emil.page(archived.headers.get("location")!);
    expect(board.html).toContain("T/2026/0004 was moved to the archive.");
    expect(column(board.html, "archive")).toEqual(expect.arrayContaining(["Emil signed", "Emil archived"]));
    const restored = await emil.post("/documents/board", { intent: "restore", id });
    expect(restored.status).toBe(302);
    expect(stageOf(id)).toBe("signed");
  });

  it("cancels a sent document with a reason", async () => {
    const emil = await as("emil@example.com");
    const id = ids["Emil company_signing"];
    const page = await emil.page(`/documents/board?cancel=${id}`);
    expect(page.html).toContain("Reason for cancelling");
    const empty = await emil.post(`/documents/board?cancel=${id}`, { intent: "cancel", id, reason: " " });
    expect(empty.status).toBe(400);
    expect(stageOf(id)).toBe("company_signing");
    const done = await emil.post(`/documents/board?cancel=${id}`, {
      intent: "cancel",
      id,
      reason: "Client changed their mind",
      back: "/documents",
    });
    expect(done.status).toBe(302);
    expect(stageOf(id)).toBe("cancelled");
    const db = openTestDb(app.dataDir);
    try {
      const row = db.prepare("select end_reason from documents where id = ?").get(id) as { end_reason: string };
      expect(row.end_reason).toBe("Client changed their mind");
      const audit = db.prepare("select action, details from audit_events where document_id = ?").all(id) as Array<{
        action: string;
        details: string;
      }>;
      expect(audit.map((a) => a.action)).toContain("document.cancelled");
    } finally {
      db.close();
    }
  });

  it("copies a declined document as a new draft with a new number", async () => {
    const emil = await as("emil@example.com");
    const response = await emil.post("/documents/board", { intent: "copy", id: ids["Emil declined"] });
    expect(response.status).toBe(302);
    const db = openTestDb(app.dataDir);
    try {
      const copy = db.prepare("select * from documents where title = 'Emil declined' and stage = 'draft'").get() as {
        id: string;
        number: string;
        owner_id: string;
      };
      expect(copy.number).toMatch(/^DOK\/\d{4}\/0001$/);
      expect(copy.owner_id).toBe(ids.emil);
      expect((db.prepare("select count(*) n from parties where document_id = ?").get(copy.id) as { n: number }).n).toBe(
        2,
      );
      expect((db.prepare("select count(*) n from boxes where document_id = ?").get(copy.id) as { n: number }).n).toBe(
        2,
      );
      expect(fs.existsSync(path.join(app.dataDir, "files", "documents", copy.id, "original.pdf"))).toBe(true);
    } finally {
      db.close();
    }
    expect(stageOf(ids["Emil declined"])).toBe("declined");
  });

  it("refuses illegal moves and documents outside the user's scope, changing nothing", async () => {
    const emil = await as("emil@example.com");
    // illegal: archive a draft, restore a signed one, copy a signed one, remind a draft
    for (const [intent, title] of [
      ["archive", "Emil draft"],
      ["restore", "Emil signed"],
      ["copy", "Emil signed"],
      ["remind", "Emil draft"],
      ["cancel", "Emil signed"],
    ] as const) {
      const response = await emil.post("/documents/board", { intent, id: ids[title], reason: "x" });
      expect(response.status, `${intent} ${title}`).toBe(409);
      expect(await response.text()).toContain("nothing was changed");
    }
    expect(stageOf(ids["Emil draft"])).toBe("draft");
    expect(stageOf(ids["Emil signed"])).toBe("signed");
    // forged: another employee's card, another team's card for a supervisor
    const forged = await emil.post("/documents/board", { intent: "archive", id: ids["Seb signed"] });
    expect(forged.status).toBe(404);
    expect(stageOf(ids["Seb signed"])).toBe("signed");
    const sara = await as("sara@example.com");
    expect((await sara.post("/documents/board", { intent: "copy", id: ids["Seb declined"] })).status).toBe(404);
    expect((await sara.get(`/documents/board?cancel=${ids["Seb draft"]}`)).status).toBe(404);
    // nonsense
    expect((await emil.post("/documents/board", { intent: "explode", id: ids["Emil draft"] })).status).toBe(400);
    expect((await emil.post("/documents/board", { intent: "archive" })).status).toBe(404);
    expect((await emil.post("/documents/board", { intent: "archive", id: "x".repeat(500) })).status).toBe(404);
  });

  it("reminds the signer who must act, at most once an hour", async () => {
    const emil = await as("emil@example.com");
    const id = ids["Emil client_signing"];
    const first = await emil.post("/documents/board", { intent: "remind", id });
    expect(first.status).toBe(302);
    const second = await emil.post("/documents/board", { intent: "remind", id });
    expect(second.status).toBe(429);
    const db = openTestDb(app.dataDir);
    try {
      const messages = db.prepare("select recipient from outbox_messages where document_id = ?").all(id) as Array<{
        recipient: string;
      }>;
      expect(messages.map((m) => m.recipient)).toEqual(["client@example.com"]);
    } finally {
      db.close();
    }
  });
});
