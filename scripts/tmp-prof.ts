import { verifyPdf } from "../verify-portal/core";
import { createSealing } from "../tests/helpers/attacks";
import { makePdf } from "../tests/helpers/verify-pdf-writer";
const sealing = await createSealing();
const sealed = await sealing.seal(await makePdf(1));
for (let i = 0; i < 50; i++) await verifyPdf(sealed, { trustedCertificates: [sealing.caDer] });
const t = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < 1000; i++) await verifyPdf(sealed, { trustedCertificates: [sealing.caDer] });
const c = process.cpuUsage(c0);
console.log(
  "per verify wall",
  ((performance.now() - t) / 1000).toFixed(2),
  "ms, cpu",
  ((c.user + c.system) / 1000 / 1000).toFixed(2),
  "ms",
);
