// Boots the real server (tsx server.ts) on a free port with a temporary DATA_DIR.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function tempDataDir(prefix = "signet-test-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunningApp {
  url: string;
  port: number;
  portalUrl: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
  restart: (extraEnv?: Record<string, string>) => Promise<void>;
}

const root = path.resolve(import.meta.dirname, "../..");

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`server did not start in time:\n${output()}`);
}

/** Starts server.ts; the Remix build must exist (npm test builds it first). */
export async function startApp(
  env: Record<string, string> = {},
  options: { dataDir?: string; portal?: boolean; umask?: string } = {},
): Promise<RunningApp> {
  const dataDir = options.dataDir ?? tempDataDir();
  const port = await freePort();
  const verifyPort = await freePort();
  let log = "";
  let child: ChildProcess;
  const launch = async (extraEnv: Record<string, string> = {}) => {
    log = "";
    const command = [process.execPath, "--import", "tsx", "server.ts"];
    // a umask of the caller's choosing (a permissive one proves the server does not rely on it)
    const [file, ...args] = options.umask
      ? ["/bin/sh", "-c", `umask ${options.umask} && exec "$0" "$@"`, ...command]
      : command;
    child = spawn(file, args, {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        VERIFY_PORT: String(verifyPort),
        DATA_DIR: dataDir,
        PUBLIC_URL: `http://localhost:${port}`,
        VERIFY_PUBLIC_URL: `http://localhost:${verifyPort}`,
        OUTBOX_POLL_MS: "200",
        DEMO: "",
        SIGNET_NO_PORTAL: options.portal ? "" : "1",
        ...env,
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    await waitForHttp(`http://localhost:${port}/login`, child, () => log);
  };
  const stop = async () => {
    const running = child; // launch() reassigns child; the kill below must hit this one
    if (running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
      setTimeout(() => running.kill("SIGKILL"), 4000).unref();
    });
  };
  await launch();
  return {
    url: `http://localhost:${port}`,
    port,
    portalUrl: `http://localhost:${verifyPort}`,
    dataDir,
    output: () => log,
    stop,
    restart: async (extraEnv) => {
      await stop();
      await launch(extraEnv);
    },
  };
}
