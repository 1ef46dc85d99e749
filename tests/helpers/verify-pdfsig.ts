// pdfsig for the verifier's corpus. tests/helpers/pdfsig.ts (trust store, parsing) is
// reused; only running differs: pdfsig exits non-zero when a file has no signature or
// cannot be read, and for the corpus that is an answer, not a failure.
import { execFile } from "node:child_process";

export { parsePdfsig, trustedNssDir, type PdfsigSignature } from "./pdfsig";

/** pdfsig's stdout and stderr together, whatever its exit status. */
export function runPdfsigAnyExit(file: string, nssDir: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "pdfsig",
      ["-nssdir", `sql:${nssDir}`, file],
      { maxBuffer: 16 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(new Error("pdfsig not found: apt-get install -y poppler-utils libnss3-tools"));
          return;
        }
        resolve(`${stdout}\n${stderr}`);
      },
    );
  });
}
