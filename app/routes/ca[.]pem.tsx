// The instance CA certificate, for anyone who wants to trust this instance's seal.
import { caCertificatePem } from "~/seal/keys.server";
import { config } from "~/config.server";

export async function loader() {
  const pem = await caCertificatePem(config.dataDir);
  return new Response(pem, {
    headers: {
      "Content-Type": "application/x-pem-file",
      "Content-Disposition": 'attachment; filename="signet-ca.pem"',
      "Cache-Control": "public, max-age=3600",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
