// Production and demo entry point: the Remix app on PORT, the verification portal on
// VERIFY_PORT, the background workers, and (with DEMO=1) the demo data.
import express from "express";
import type { ServerBuild } from "@remix-run/node";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { closeUnreadBodies } from "./app/http/body-limit";
import { createRemixHandler } from "./app/http/express-adapter";
import { isOwnPost } from "./app/http/origin";
import { setSecurityHeaders } from "./app/http/security-headers";

// Everything this process creates (database, WAL, files, keys) is for its owner only, whatever
// umask it was started with; the modules that create files also ask for owner-only modes.
process.umask(0o077);

const port = Number(process.env.PORT ?? 3000);
const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild & {
  entry: {
    module: {
      prepareDatabase: () => Promise<void>;
      startBackgroundServices: () => Promise<void>;
      stopBackgroundServices: () => Promise<void>;
      seedDemoData?: () => Promise<string[]>;
    };
  };
};
const services = build.entry.module;

// DEV_TSA=1 (development and demo only): a development TSA of the project's own beside
// the app, so seals are PAdES B-LTA with nothing else configured. A real TSA_URL wins.
const developmentAllowed = process.env.DEMO === "1" || process.env.NODE_ENV !== "production";
if (process.env.DEV_TSA === "1" && !developmentAllowed) {
  console.error("DEV_TSA=1 is ignored by npm start: the development TSA is for the demo and development only");
} else if (process.env.DEV_TSA === "1" && !process.env.TSA_URL) {
  const { startDevelopmentTsa } = await import("./dev-tsa/server");
  const tsa = await startDevelopmentTsa({
    dir: path.join(path.resolve(process.env.DATA_DIR ?? "./data"), "dev-tsa"),
    port: Number(process.env.DEV_TSA_PORT) || 3002,
  });
  process.env.TSA_URL = tsa.url;
  process.env.TSA_TRUST = [process.env.TSA_TRUST, tsa.caFile].filter(Boolean).join(",");
  console.warn(`DEV_TSA=1: seals are time-stamped by the DEVELOPMENT-ONLY TSA on ${tsa.url} (not for production)`);
}

// Migrations (and the one-off upgrades of existing data) before the first request.
await services.prepareDatabase();

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", process.env.TRUST_PROXY === "1" ? 1 : false);

app.use((req, res, next) => {
  setSecurityHeaders(res, req.path, process.env.PUBLIC_URL);
  closeUnreadBodies(req, res);
  next();
});

// Every state-changing request must come from our own pages (Remix checks document POSTs
// only; this also covers ?_data requests and resource routes).
app.use((req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const secFetchSite = req.headers["sec-fetch-site"];
  if (
    isOwnPost(
      {
        origin: req.headers.origin,
        referer: req.headers.referer,
        host: req.headers.host,
        secFetchSite: typeof secFetchSite === "string" ? secFetchSite : undefined,
        path: req.path,
      },
      process.env.PUBLIC_URL,
    )
  )
    return next();
  res.status(403).type("text/plain").send("Forbidden: cross-origin request");
});

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

// The Remix app, with a limit on every request body (app/http/express-adapter.ts).
app.all("*", createRemixHandler(build, process.env.NODE_ENV));

const server = app.listen(port);
// Longer than clients' and proxies' idle timeouts, so the server never closes a kept-alive
// connection just as a client reuses it (which fails that request).
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
try {
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
} catch (error) {
  // e.g. EADDRINUSE: another instance has the port; this one must not run workers beside it
  console.error(`Signet cannot listen on port ${port}: ${(error as Error).message}`);
  process.exit(1);
}
console.log(`Signet app listening on http://localhost:${port}`);

// Background work only once this instance really serves requests.
await services.startBackgroundServices();

if (process.env.DEMO === "1" && services.seedDemoData) {
  const lines = await services.seedDemoData();
  for (const line of lines) console.log(line);
}

// The portal runs beside the app (its own port, read-only registry); tests of the app alone skip it.
if (process.env.SIGNET_NO_PORTAL !== "1") {
  const portal = await import("./verify-portal/server");
  await portal.startPortal();
}

function shutdown() {
  void services.stopBackgroundServices();
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
