// A real SMTP server (smtp-server) that keeps every message it receives, parsed.
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { freePort } from "./server";

export interface CapturedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

export async function startSmtp() {
  const messages: CapturedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    // no DNS here: a reverse lookup of the client would stall every connection
    disableReverseLookup: true,
    disabledCommands: ["STARTTLS"],
    onAuth(_auth, _session, callback) {
      callback(null, { user: "test" });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          for (const rcpt of session.envelope.rcptTo) {
            messages.push({
              to: rcpt.address,
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              parsed,
            });
          }
          waiters.splice(0).forEach((w) => w());
          callback();
        })
        .catch(callback);
    },
  });
  // a client that goes away mid-session (an app restarted by the test) is not a test failure
  server.on("error", () => {});
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** Waits for a message to `to` matching `predicate`. */
    async waitFor(to: string, predicate: (m: CapturedMail) => boolean = () => true, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => m.to.toLowerCase() === to.toLowerCase() && predicate(m));
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no mail to ${to}; got: ${messages.map((m) => `${m.to}: ${m.subject}`).join(", ")}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function firstLink(text: string, pathPrefix: string) {
  const match = new RegExp(`https?://[^\\s"<>]+${pathPrefix.replace(/[/]/g, "\\/")}[^\\s"<>]*`).exec(text);
  if (!match) throw new Error(`no ${pathPrefix} link in: ${text}`);
  return match[0];
}
