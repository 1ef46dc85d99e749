// `npm run seal:revoke [-- --reason keyCompromise|superseded|affiliationChanged|cessationOfOperation]`:
// revokes the instance's seal certificate (on the instance CA's CRL at once), and issues a new
// one under the same CA, which the running app uses from its next seal. Documents sealed with
// a time-stamp (TSA_URL) stay valid: the time-stamp proves they were sealed before. DATA_DIR
// as for the app. Not for SEAL_P12 certificates: revoke those with their issuer.
import { parseArgs } from "node:util";
import { config } from "~/config.server";
import { CRL_REASONS, type CrlReason } from "~/seal/crl.server";
import { instanceCrlUrl } from "~/seal/keys.server";
import { revokeSealCertificate } from "~/seal/revoke.server";

const { values } = parseArgs({ options: { reason: { type: "string", default: "unspecified" } } });
const reason = values.reason as CrlReason;
if (!(reason in CRL_REASONS)) {
  console.error(`--reason must be one of: ${Object.keys(CRL_REASONS).join(", ")}`);
  process.exit(2);
}
if (config.sealP12) {
  console.error("seal:revoke: this instance seals with SEAL_P12; revoke that certificate with its issuer");
  process.exit(2);
}
try {
  const result = await revokeSealCertificate(config.dataDir, { reason });
  console.log(
    `seal:revoke: certificate ${result.revokedSerial} revoked (${reason}) at ${result.revokedAt.toISOString()}`,
  );
  console.log(`seal:revoke: the CRL at ${instanceCrlUrl()} lists it`);
  console.log(`seal:revoke: new seal certificate ${result.newSerial}, valid until ${result.newValidTo}`);
  console.log(
    "seal:revoke: documents sealed without a time-stamp (PAdES B-B) cannot prove they predate this revocation",
  );
} catch (error) {
  console.error(`seal:revoke: ${(error as Error).message}`);
  process.exit(2);
}
