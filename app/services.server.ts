// Start-up: the database (migrations and one-off upgrades of existing data) before the server
// listens; the background workers only once it does (server.ts), so that an instance that
// cannot listen runs none of them.
import { getDb } from "~db/client";
import { upgradeAuditChains } from "~/audit/rekey.server";
import { redactLegacyOutbox, startOutboxWorker, stopOutboxWorker } from "~/notify/outbox.server";
import { startSealWorker, stopSealWorker } from "~/seal/worker.server";
import { stopImageWorkers } from "~/pdf/images.server";
import { startSigningWorker, stopSigningWorker } from "~/signing/worker.server";

type Service = { start: () => void | Promise<void>; stop?: () => void | Promise<void> };
// Each area's worker, in start order.
const services: Service[] = [
  { start: startOutboxWorker, stop: stopOutboxWorker },
  { start: startSealWorker, stop: stopSealWorker },
  { start: startSigningWorker, stop: stopSigningWorker },
  { start: () => {}, stop: stopImageWorkers },
];

export async function prepareDatabase() {
  getDb();
  upgradeAuditChains();
  redactLegacyOutbox();
}

export async function startBackgroundServices() {
  for (const service of services) await service.start();
}

export async function stopBackgroundServices() {
  for (const service of services) await service.stop?.();
}
