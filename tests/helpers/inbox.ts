// What a signer or an invited user receives, read the way they read it: e-mail from a real SMTP
// server and SMS from a real HTTP gateway, both started by the test, with the app started
// pointing at them (SMTP_URL, SMS_WEBHOOK_URL). Tests never read links or codes from the
// database: the outbox erases them once a message is delivered.
import { startApp, type RunningApp } from "./server";
import { startSmsGateway } from "./signing";
import { firstLink, startSmtp } from "./smtp";

export interface Received {
  channel: "email" | "sms";
  to: string;
  subject: string;
  text: string;
}

export type Inbox = Awaited<ReturnType<typeof startInbox>>;

export async function startInbox() {
  const smtp = await startSmtp();
  const sms = await startSmsGateway();
  const all = (): Received[] => [
    ...smtp.messages.map((m) => ({ channel: "email" as const, to: m.to, subject: m.subject, text: m.text })),
    ...sms.messages.map((m) => ({ channel: "sms" as const, to: m.to, subject: "", text: m.text })),
  ];
  /** The newest message to `to` (an e-mail address or a +48… number) that matches. */
  async function waitFor(to: string, predicate: (m: Received) => boolean = () => true, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = all()
        .reverse()
        .find((m) => m.to.toLowerCase() === to.toLowerCase() && predicate(m));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `nothing received by ${to}; got: ${all()
            .map((m) => `${m.to}: ${m.subject || m.text}`)
            .join(" | ")}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    smtp,
    sms,
    env: { SMTP_URL: smtp.url, SMS_WEBHOOK_URL: sms.url },
    waitFor,
    /** Everything `to` received, oldest first. */
    receivedBy: (to: string) => all().filter((m) => m.to.toLowerCase() === to.toLowerCase()),
    /** The first link with `pathPrefix` (e.g. "/s/") in the newest matching message to `to`. */
    async link(to: string, pathPrefix: string, predicate: (m: Received) => boolean = () => true) {
      const message = await waitFor(to, (m) => m.text.includes(pathPrefix) && predicate(m));
      return firstLink(message.text, pathPrefix);
    },
    close: async () => {
      await smtp.close();
      await sms.close();
    },
  };
}

/** The app with a real mailbox and SMS gateway, as production runs it. */
export async function startAppWithInbox(
  env: Record<string, string> = {},
  options: Parameters<typeof startApp>[1] = {},
): Promise<{ app: RunningApp; inbox: Inbox; stop: () => Promise<void> }> {
  const inbox = await startInbox();
  const app = await startApp({ ...inbox.env, ...env }, options);
  return {
    app,
    inbox,
    stop: async () => {
      await app.stop();
      await inbox.close();
    },
  };
}
