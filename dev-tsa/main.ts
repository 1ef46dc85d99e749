// `npm run dev-tsa`: the development-only TSA alone, for trying TSA_URL by hand.
// DEV_TSA_PORT (default 3002) and DATA_DIR (keys under DATA_DIR/dev-tsa) as for the app.
import path from "node:path";
import { startDevelopmentTsa } from "./server";

const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
const tsa = await startDevelopmentTsa({
  dir: path.join(dataDir, "dev-tsa"),
  port: Number(process.env.DEV_TSA_PORT) || 3002,
});
console.log(`Development TSA (NOT FOR PRODUCTION) on ${tsa.url}`);
console.log(`  TSA_URL=${tsa.url} TSA_TRUST=${tsa.caFile}`);
