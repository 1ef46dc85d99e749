// `npm run demo` seeds documents in every column of the board, and the team page shows them.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Client, login } from "../helpers/http";
import { startApp, type RunningApp } from "../helpers/server";

let app: RunningApp;

beforeAll(async () => {
  app = await startApp({ DEMO: "1" });
  // the demo seed runs after the server listens
  const deadline = Date.now() + 60_000;
  while (!app.output().includes("Demo data is ready") && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
});

afterAll(async () => {
  await app?.stop();
});

it("puts demo documents in every column, and on the supervisor's team page", async () => {
  const admin = new Client(app.url);
  await login(admin, "admin@demo.signet.test", "signet-demo-2026");
  const { html } = await admin.page("/documents");
  const counts = [...html.matchAll(/<h2 id="col-([^"]+)">[^<]+(?:<!-- -->)? <span class="count">(\d+)</g)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  expect(counts.map(([key]) => key)).toEqual(["draft", "sent", "partially-signed", "signed", "archive", "not-signed"]);
  for (const [key, count] of counts) expect(count, String(key)).toBeGreaterThan(0);
  const supervisor = new Client(app.url);
  await login(supervisor, "supervisor@demo.signet.test", "signet-demo-2026");
  const team = await supervisor.page("/team");
  expect(team.html).toContain("Ewa Kowalczyk");
  expect(team.html).not.toContain("Jan Zieliński");
});
