// The instance CA's certificate revocation list: the CRL distribution point written into
// every seal certificate, so its URL must not change. Reissued daily by the seal worker.
import { config } from "~/config.server";
import { instanceCrl } from "~/seal/crl.server";
import { loadSealIdentity } from "~/seal/keys.server";

export async function loader() {
  const identity = await loadSealIdentity(config.dataDir);
  if (!identity.instanceCa) {
    return new Response("This instance seals with SEAL_P12; its certificate's issuer publishes the CRL.\n", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  const crl = await instanceCrl(identity.instanceCa.dataDir);
  return new Response(new Uint8Array(crl), {
    headers: {
      "Content-Type": "application/pkix-crl",
      "Content-Disposition": 'attachment; filename="signet-ca.crl"',
      // Short: a revocation must reach verifiers soon.
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
