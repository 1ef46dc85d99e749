// Start-up: migrations (by opening the database), then the background workers.
import { getDb } from "~db/client";
import { startOutboxWorker, stopOutboxWorker } from "~/notify/outbox.server";
import { startSealWorker, stopSealWorker } from "~/seal/worker.server";
import { startSigningWorker, stopSigningWorker } from "~/signing/worker.server";

type Service = { start: () => void | Promise<void>; stop?: () => void };
// Each area's worker, in start order.
const services: Service[] = [
  { start: startOutboxWorker, stop: stopOutboxWorker },
  { start: startSealWorker, stop: stopSealWorker },
  { start: startSigningWorker, stop: stopSigningWorker },
];

export async function startBackgroundServices() {
  getDb();
  for (const service of services) await service.start();
}

export function stopBackgroundServices() {
  for (const service of services) service.stop?.();
}
