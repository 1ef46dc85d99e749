// `npm run start:portal`: the verification portal alone, on VERIFY_PORT.
import { startPortal } from "./server";

const portal = await startPortal();

function shutdown() {
  portal.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
