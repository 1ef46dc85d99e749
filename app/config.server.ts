// Settings from the environment (README lists them); read once per process.
import path from "node:path";

function numberFromEnv(name: string, fallback: number) {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const config = {
  get port() {
    return numberFromEnv("PORT", 3000);
  },
  get verifyPort() {
    return numberFromEnv("VERIFY_PORT", 3001);
  },
  get dataDir() {
    return path.resolve(process.env.DATA_DIR ?? "./data");
  },
  get publicUrl() {
    return (process.env.PUBLIC_URL ?? `http://localhost:${this.port}`).replace(/\/+$/, "");
  },
  get verifyPublicUrl() {
    return (process.env.VERIFY_PUBLIC_URL ?? `http://localhost:${this.verifyPort}`).replace(/\/+$/, "");
  },
  get smtpUrl() {
    return process.env.SMTP_URL || undefined;
  },
  get mailFrom() {
    return process.env.MAIL_FROM || "Signet <no-reply@localhost>";
  },
  get smsWebhookUrl() {
    return process.env.SMS_WEBHOOK_URL || undefined;
  },
  get sealP12() {
    return process.env.SEAL_P12 || undefined;
  },
  get sealP12Password() {
    return process.env.SEAL_P12_PASSWORD ?? "";
  },
  /** RFC 3161 time-stamping authority: seals become PAdES B-LTA; unset means B-B (with a warning). */
  get tsaUrl() {
    return process.env.TSA_URL || undefined;
  },
  get tsaUsername() {
    return process.env.TSA_USERNAME || undefined;
  },
  get tsaPassword() {
    return process.env.TSA_PASSWORD ?? "";
  },
  /** PEM files of the roots a TSA certificate may chain to; empty: Node's public roots. */
  get tsaTrust() {
    return (process.env.TSA_TRUST ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  },
  get tsaTimeoutMs() {
    return numberFromEnv("TSA_TIMEOUT_MS", 10_000);
  },
  get downloadLinkDays() {
    return numberFromEnv("DOWNLOAD_LINK_DAYS", 14);
  },
  /**
   * The development mailbox (/dev/mailbox, every message readable by anyone) exists only in the
   * demo and in development; in production (`npm start`) it does not exist at all.
   */
  get developmentMailbox() {
    return process.env.DEMO === "1" || process.env.NODE_ENV !== "production";
  },
  get secureCookies() {
    return (process.env.PUBLIC_URL ?? "").startsWith("https://");
  },
  /** Outbox worker poll interval; tests shorten it. */
  get outboxPollMs() {
    return numberFromEnv("OUTBOX_POLL_MS", 1000);
  },
};
