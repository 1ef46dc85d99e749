// `npm run audit:verify`: checks every audit chain of the instance in DATA_DIR (read-only, so it
// can run beside the app) against the key in DATA_DIR/keys, prints each chain that does not
// verify and why, and exits 1 if any does (0 when all verify, 2 when it cannot check at all).
// `npm run audit:verify -- signed.pdf …` also checks the audit trail embedded in sealed PDFs
// against their own hash links, the key, and the database.
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "~db/client";
import { describeChainProblem, keyedEventHash, legacyEventHash, listDocumentAudit } from "~/audit/audit.server";
import { checkEveryChain } from "~/audit/chains.server";
import { auditKey, auditKeyPath } from "~/audit/key.server";
import { readAuditTrail } from "~/audit/trail.server";

const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
if (!fs.existsSync(path.join(dataDir, "signet.sqlite"))) {
  console.error(`audit:verify: no database in ${dataDir} (set DATA_DIR)`);
  process.exit(2);
}
let key: Buffer;
try {
  key = auditKey(dataDir, { create: false });
} catch (error) {
  console.error(`audit:verify: cannot read the audit key ${auditKeyPath(dataDir)}: ${(error as Error).message}`);
  process.exit(2);
}
const { db, sqlite } = openDatabase(dataDir, { readonly: true });

let checked = 0;
let broken = 0;
for await (const report of checkEveryChain(db, key)) {
  checked++;
  if (report.check.ok) continue;
  broken++;
  const what = report.chain.kind === "document" ? `document ${report.label}` : `company ${report.label}`;
  console.log(`BROKEN  ${what} (${report.chain.id}): ${describeChainProblem(report.check)}`);
}

for (const file of process.argv.slice(2)) {
  const trail = await readAuditTrail(fs.readFileSync(file));
  if (!trail) {
    broken++;
    console.log(`BROKEN  ${file}: no Signet audit trail attached`);
    continue;
  }
  checked++;
  const problems: string[] = [];
  let previous = "0".repeat(64);
  trail.events.forEach((event, index) => {
    const content = { ...event, at: new Date(event.at) };
    const { id: _id, hash, seq: _seq, keyed, ...rest } = content;
    if (event.prevHash !== previous) problems.push(`event ${index + 1} does not follow the one before it`);
    const expected = keyed ? keyedEventHash(key, index + 1, rest) : legacyEventHash(rest);
    if (expected !== hash) problems.push(`event ${index + 1} was changed`);
    previous = hash;
  });
  if (previous !== trail.chain.head) problems.push("the head does not match the last event");
  const stored = listDocumentAudit(db, trail.document.id).slice(0, trail.events.length);
  if (stored.length < trail.events.length || stored.some((event, index) => event.hash !== trail.events[index].hash))
    problems.push("the database's trail of this document differs from the file's");
  if (problems.length > 0) {
    broken++;
    console.log(`BROKEN  ${file} (${trail.document.number}): ${problems.join("; ")}`);
  } else
    console.log(`ok      ${file} (${trail.document.number}): ${trail.events.length} events, head ${trail.chain.head}`);
}

sqlite.close();
console.log(`${checked} audit trails checked, ${broken} broken`);
process.exit(broken > 0 ? 1 : 0);
