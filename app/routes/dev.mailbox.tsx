import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { config } from "~/config.server";
import { notFound } from "~/http/forms.server";
import { pageParam } from "~/http/request.server";
import { listMailbox } from "~/notify/outbox.server";
import { useT } from "~/i18n";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("mailbox.title");
const PAGE_SIZE = 30;

// Open to anyone in the demo and in development (signers have no account there). In production
// it does not exist, for anyone: it would show the links and codes that let a reader sign.
export async function loader({ request }: LoaderFunctionArgs) {
  if (!config.developmentMailbox) notFound();
  const url = new URL(request.url);
  const page = pageParam(url);
  const to = url.searchParams.get("to")?.trim().slice(0, 200) || undefined;
  const messages = listMailbox({ recipient: to, limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE });
  return json({
    page,
    hasMore: messages.length > PAGE_SIZE,
    messages: messages.slice(0, PAGE_SIZE).map((m) => ({
      id: m.id,
      channel: m.channel,
      recipient: m.recipient,
      subject: m.subject,
      text: m.text,
      status: m.status,
      createdAt: m.createdAt,
    })),
  });
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** Message text with its links made clickable (React escapes the rest). */
function Linkified({ text }: { text: string }) {
  const parts = text.split(URL_PATTERN);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export default function Mailbox() {
  const t = useT();
  const { messages, page, hasMore } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{t("mailbox.title")}</h1>
      <p className="muted">{t("mailbox.intro")}</p>
      {messages.length === 0 ? <p>{t("mailbox.empty")}</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="card mail-message" data-recipient={m.recipient}>
          <p>
            <span className="badge">{m.channel === "sms" ? t("mailbox.sms") : t("mailbox.email")}</span>{" "}
            <strong>{t("mailbox.to")}:</strong> <span className="recipient">{m.recipient}</span>{" "}
            <span className="muted">
              · {new Date(m.createdAt).toISOString().replace("T", " ").slice(0, 19)} UTC ·{" "}
              {t(`outbox.status.${m.status}`)}
            </span>
          </p>
          {m.subject ? <h2 className="subject">{m.subject}</h2> : null}
          <pre className="mail">
            <Linkified text={m.text} />
          </pre>
        </article>
      ))}
      <div className="pager">
        {page > 1 ? <Link to={`?page=${page - 1}`}>{t("common.previous")}</Link> : null}
        {hasMore ? <Link to={`?page=${page + 1}`}>{t("common.next")}</Link> : null}
      </div>
    </div>
  );
}
