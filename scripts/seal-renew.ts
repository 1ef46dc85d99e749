// `npm run seal:renew [-- --within-days N] [--include-unstamped]`: adds a new DSS and document
// time-stamp to every sealed document whose last time-stamp certificate expires within N days
// (default 180), so the archive stays verifiable. Needs TSA_URL (and TSA_TRUST for a TSA whose
// root is not public); DATA_DIR as for the app. Run it from cron, e.g. monthly.
// --include-unstamped also time-stamps documents sealed without a TSA (PAdES B-B), whose
// seal certificate is still valid and not revoked: from then on they are B-LTA too.
// Exit code 1 when a document could not be renewed.
import { parseArgs } from "node:util";
import { renewSealedDocuments } from "~/signing/renew-seals.server";

const { values } = parseArgs({
  options: {
    "within-days": { type: "string", default: "180" },
    "include-unstamped": { type: "boolean", default: false },
  },
});
const withinDays = Number(values["within-days"]);
if (!Number.isFinite(withinDays) || withinDays < 0) {
  console.error("--within-days must be a number of days (0 or more)");
  process.exit(2);
}
try {
  const report = await renewSealedDocuments({
    withinDays,
    includeUnstamped: values["include-unstamped"],
    log: (line) => console.log(line),
  });
  console.log(
    `seal:renew: ${report.checked} sealed documents checked, ${report.renewed.length} renewed, ${report.notDue} not due, ${report.failed.length} failed`,
  );
  if (report.unstamped.length > 0) {
    console.log(
      `seal:renew: ${report.unstamped.length} sealed without a time-stamp (PAdES B-B), left alone; --include-unstamped time-stamps them`,
    );
  }
  for (const failure of report.failed) console.error(`  ${failure.number}: ${failure.reason}`);
  process.exit(report.failed.length > 0 ? 1 : 0);
} catch (error) {
  console.error(`seal:renew: ${(error as Error).message}`);
  process.exit(2);
}
