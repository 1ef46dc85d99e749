// `npm run verify -- file.pdf [--json] [--lang pl]`: the portal's report on the command
// line. Trust: DATA_DIR/keys/ca.pem and VERIFY_TRUST; registry: DATA_DIR, if present.
// Exit status: 0 only for "valid"; 1 for any other verdict; 2 for usage errors.
import fs from "node:fs";
import path from "node:path";
import { verifyPdf } from "./core";
import { isLanguage, type Language } from "./i18n";
import { RegistryReader } from "./registry";
import { textReport } from "./text";
import { TrustStore } from "./trust";

const USAGE = "usage: npm run verify -- <file.pdf> [--json] [--lang en|pl]";

async function main(argv: string[]): Promise<number> {
  let json = false;
  let language: Language = process.env.LANG?.toLowerCase().startsWith("pl") ? "pl" : "en";
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") json = true;
    else if (arg === "--lang") {
      const value = argv[++i];
      if (!isLanguage(value)) return usage(`unknown language: ${value}`);
      language = value;
    } else if (arg === "-h" || arg === "--help") return usage();
    else if (arg.startsWith("--")) return usage(`unknown option: ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1) return usage();
  const file = files[0];
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as Error).message}\n`);
    return 2;
  }
  const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
  const trust = TrustStore.fromEnvironment(dataDir);
  // The registry is optional: a missing database only means "not in the registry".
  const registry = fs.existsSync(path.join(dataDir, "signet.sqlite")) ? new RegistryReader(dataDir) : null;
  try {
    const report = await verifyPdf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), {
      trustedCertificates: trust.certificates(),
      registry: registry ? (sha256) => registry.bySha256(sha256) : undefined,
    });
    process.stdout.write(
      json ? JSON.stringify(report, null, 2) + "\n" : textReport(report, language, path.basename(file)),
    );
    return report.verdict === "valid" ? 0 : 1;
  } finally {
    registry?.close();
  }
}

function usage(problem?: string): number {
  if (problem) process.stderr.write(`${problem}\n`);
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
