// Checks PDF signatures the way an outside reader does: poppler's pdfsig
// against an NSS database that trusts a given CA. Needs the Debian packages
// poppler-utils (pdfsig, pdfinfo) and libnss3-tools (certutil).
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const nssDirs = new Map<string, Promise<string>>();

async function tool(command: string, args: string[]) {
  try {
    return await run(command, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`${command} not found: apt-get install -y poppler-utils libnss3-tools`);
    }
    throw error;
  }
}

/** A fresh NSS database (directory path) trusting `caPem` (one or several) as CAs for signing; one per set per process. */
export function trustedNssDir(caPem: string | string[]): Promise<string> {
  const pems = Array.isArray(caPem) ? caPem : [caPem];
  const cacheKey = pems.join("\n");
  let dir = nssDirs.get(cacheKey);
  if (!dir) {
    dir = (async () => {
      const nssDir = await fs.mkdtemp(path.join(os.tmpdir(), "signet-nss-"));
      await tool("certutil", ["-N", "-d", `sql:${nssDir}`, "--empty-password"]);
      for (const [i, pem] of pems.entries()) {
        const caFile = path.join(nssDir, `ca-${i}.pem`);
        await fs.writeFile(caFile, pem);
        await tool("certutil", [
          "-A",
          "-d",
          `sql:${nssDir}`,
          "-n",
          i === 0 ? "ca" : `ca-${i}`,
          "-t",
          "CT,C,C",
          "-i",
          caFile,
        ]);
      }
      return nssDir;
    })();
    dir.catch(() => nssDirs.delete(cacheKey));
    nssDirs.set(cacheKey, dir);
  }
  return dir;
}

/**
 * pdfsig's report for `file`, stdout then stderr (parse errors such as
 * "Syntax Error" land there). pdfsig exits 0 whatever it finds: read the text.
 */
export async function runPdfsig(file: string, nssDir: string): Promise<string> {
  const { stdout, stderr } = await tool("pdfsig", ["-nssdir", `sql:${nssDir}`, file]);
  return stderr ? `${stdout}\n${stderr}` : stdout;
}

export interface PdfsigSignature {
  fieldName?: string;
  signerCommonName?: string;
  signatureType?: string;
  signedRanges?: string;
  totalDocumentSigned: boolean;
  signatureValidation?: string;
  certificateValidation?: string;
}

/** The signatures in a pdfsig report, one entry per "Signature #n:" block. */
export function parsePdfsig(output: string): PdfsigSignature[] {
  return output
    .split(/^Signature #\d+:$/m)
    .slice(1)
    .map((block) => {
      const field = (label: string) => new RegExp(`^\\s*- ${label}: (.*)$`, "m").exec(block)?.[1]?.trim();
      return {
        fieldName: field("Signature Field Name"),
        signerCommonName: field("Signer Certificate Common Name"),
        signatureType: field("Signature Type"),
        signedRanges: field("Signed Ranges"),
        totalDocumentSigned: /^\s*- Total document signed$/m.test(block),
        signatureValidation: field("Signature Validation"),
        certificateValidation: field("Certificate Validation"),
      };
    });
}

/** Page count as poppler reads it: proves the page tree survived an update. */
export async function pdfinfoPages(file: string): Promise<number> {
  const { stdout } = await tool("pdfinfo", [file]);
  const match = /^Pages:\s+(\d+)$/m.exec(stdout);
  if (!match) throw new Error(`pdfinfo found no pages in ${file}:\n${stdout}`);
  return Number(match[1]);
}
