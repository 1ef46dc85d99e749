// Board benchmark: one company with 50,000 documents (and their 100,000 parties) seeded in a
// temporary DATA_DIR, then the median server-side render of the board, the list and the team
// page, in process through the Remix request handler of build/index.js with a real session
// cookie, and the weight of each page. Needs `npx remix build` first.
// Run alone with `npx tsx scripts/bench/board.ts`.
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { migrateDatabase, openDatabase } from "~db/client";
import { insertDocuments, insertTeam, insertUser, type SeedDocument, type Stage } from "../../tests/helpers/board";
import { median } from "./median";

export interface BoardBenchResult {
  name: string;
  medianMs: number;
  bytes?: number;
}

const DOCUMENTS = 50_000;
const TEAMS = 5;
const EMPLOYEES_PER_TEAM = 9;
const DAY = 86_400_000;
const root = path.resolve(import.meta.dirname, "../..");

// stage mix of a company that has used the product for two years
const STAGE_MIX: Array<[Stage, number]> = [
  ["draft", 0.06],
  ["company_signing", 0.05],
  ["client_signing", 0.05],
  ["signed", 0.3],
  ["archived", 0.4],
  ["declined", 0.06],
  ["expired", 0.04],
  ["cancelled", 0.04],
];
const CLIENTS = [
  "Łódzkie Zakłady Mięsne „Smak” S.A.",
  "Gdańska Stocznia Jachtowa Sp. z o.o.",
  "Nordic Timber AB",
  "Kraków Software House Sp. z o.o.",
  "Poznańskie Młyny S.A.",
  "Wrocławska Drukarnia Sp. z o.o.",
  "Baltic Trade Sp. z o.o.",
  "Mazowieckie Okna Sp. j.",
  "Śląska Stal S.A.",
  "Lubelskie Sady Sp. z o.o.",
];

/** Seeds the bench company into `dataDir`; returns session cookies for an admin, a supervisor and an employee. */
export function seedBoardBench(dataDir: string) {
  const { db, sqlite } = openDatabase(dataDir);
  migrateDatabase(db);
  const companyId = crypto.randomBytes(12).toString("base64url");
  const now = Date.now();
  sqlite
    .prepare(
      "insert into companies (id, legal_name, tax_id, address, created_at) values (?, 'Bench Sp. z o.o.', '5260250274', 'ul. Długa 1, Warszawa', ?)",
    )
    .run(companyId, now);
  const passwordHash = "scrypt$16384$8$1$x$x"; // nobody logs in with a password here
  const admin = insertUser(sqlite, {
    companyId,
    email: "admin@bench.test",
    name: "Anna Admin",
    role: "admin",
    teamId: null,
    passwordHash,
  });
  const owners: Array<{ id: string; teamId: string }> = [];
  let supervisor = "";
  let employee = "";
  for (let t = 0; t < TEAMS; t++) {
    const teamId = insertTeam(sqlite, companyId, `Team ${t + 1}`);
    const boss = insertUser(sqlite, {
      companyId,
      email: `supervisor${t}@bench.test`,
      name: `Supervisor ${t + 1}`,
      role: "supervisor",
      teamId,
      passwordHash,
    });
    if (t === 0) supervisor = boss;
    owners.push({ id: boss, teamId });
    for (let e = 0; e < EMPLOYEES_PER_TEAM; e++) {
      const id = insertUser(sqlite, {
        companyId,
        email: `employee${t}-${e}@bench.test`,
        name: `Employee ${t + 1}.${e + 1}`,
        role: "employee",
        teamId,
        passwordHash,
      });
      if (t === 0 && e === 0) employee = id;
      owners.push({ id, teamId });
    }
  }
  let random = 42;
  const next = () => (random = (random * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const docs: SeedDocument[] = [];
  for (let i = 0; i < DOCUMENTS; i++) {
    let pick = next();
    const stage = STAGE_MIX.find(([, share]) => (pick -= share) < 0)?.[0] ?? "archived";
    const owner = owners[Math.floor(next() * owners.length)];
    const created = Math.floor(next() * 730);
    const inProgress = stage === "company_signing" || stage === "client_signing";
    docs.push({
      ownerId: owner.id,
      teamId: owner.teamId,
      stage,
      number: `FV/${2024 + Math.floor(i / 25_000)}/${String((i % 25_000) + 1).padStart(5, "0")}`,
      title: `Umowa serwisowa nr ${i + 1}`,
      clientName: CLIENTS[i % CLIENTS.length],
      amountMinor: Math.floor(next() * 10_000_000),
      createdDaysAgo: inProgress ? Math.floor(next() * 30) : created,
      stageDaysAgo: inProgress ? Math.floor(next() * 10) : Math.floor(created / 2),
      deadlineInDays: inProgress ? Math.floor(next() * 40) - 5 : null,
      sentDaysAgo: stage === "draft" ? null : inProgress ? Math.floor(next() * 10) : created,
      completedDaysAgo:
        stage === "signed" || stage === "archived" ? Math.max(0, created - 1 - Math.floor(next() * 10)) : null,
    });
  }
  insertDocuments(sqlite, companyId, docs, now);
  sqlite.pragma("optimize");
  const cookieFor = (userId: string) => {
    const id = crypto.randomBytes(20).toString("hex");
    sqlite
      .prepare("insert into sessions (id, user_id, expires_at) values (?, ?, ?)")
      .run(id, userId, Math.floor(now / 1000) + 86_400);
    return `signet_session=${id}`;
  };
  const cookies = { admin: cookieFor(admin), supervisor: cookieFor(supervisor), employee: cookieFor(employee) };
  sqlite.close();
  return cookies;
}

export async function benchBoard(options: { iterations?: number } = {}): Promise<BoardBenchResult[]> {
  const iterations = options.iterations ?? 15;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "signet-bench-board-"));
  const previous = { DATA_DIR: process.env.DATA_DIR, NODE_ENV: process.env.NODE_ENV };
  process.env.DATA_DIR = dataDir;
  process.env.NODE_ENV = "production";
  try {
    const seedStarted = performance.now();
    const cookies = seedBoardBench(dataDir);
    const seedMs = performance.now() - seedStarted;
    const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
    const handle = createRequestHandler(build, "production");
    const page = async (pathname: string, cookie: string) => {
      const response = await handle(
        new Request(`http://localhost${pathname}`, { headers: { Cookie: cookie, "Accept-Language": "en" } }),
      );
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${pathname}: ${response.status} ${body.slice(0, 300)}`);
      return Buffer.byteLength(body);
    };
    const cases: Array<[string, string, string]> = [
      ["board, admin, 50,000 documents", "/documents", cookies.admin],
      ["list, admin, first page", "/documents/list", cookies.admin],
      ["team page, admin, all 50 people", "/team", cookies.admin],
      ["board, supervisor (team of 10)", "/documents", cookies.supervisor],
      ["team page, supervisor", "/team", cookies.supervisor],
      ["board, employee", "/documents", cookies.employee],
      ['board, admin, search "nr 4711"', "/documents?q=nr+4711", cookies.admin],
      ["list, admin, sorted by owner, page 1000", "/documents/list?sort=owner&page=1000", cookies.admin],
    ];
    const results: BoardBenchResult[] = [
      { name: `seed ${DOCUMENTS.toLocaleString("en")} documents (once)`, medianMs: seedMs },
    ];
    for (const [name, pathname, cookie] of cases) {
      let bytes = 0;
      const medianMs = await median(iterations, async () => {
        bytes = await page(pathname, cookie);
      });
      results.push({ name, medianMs, bytes });
    }
    return results;
  } finally {
    process.env.DATA_DIR = previous.DATA_DIR;
    process.env.NODE_ENV = previous.NODE_ENV;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const results = await benchBoard();
  const width = Math.max(...results.map((result) => result.name.length));
  console.log(`${"benchmark".padEnd(width)}  median ms     bytes`);
  for (const result of results) {
    console.log(
      `${result.name.padEnd(width)}  ${result.medianMs.toFixed(2).padStart(9)}  ${result.bytes === undefined ? "" : String(result.bytes).padStart(8)}`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
