import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { invalid, notFound, readIntent } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { listFailedMessages } from "~/notify/outbox.server";
import { redeliverFailedMessage } from "~/signing/redeliver.server";
import { useT } from "~/i18n";
import { FormError, SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("admin.outbox");

// Recipient, channel, subject, error and time; never a link or a code (the outbox has erased
// them, and the view masks any that are named).
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  return json({
    messages: listFailedMessages(admin.companyId).map((m) => ({
      id: m.id,
      channel: m.channel,
      recipient: m.recipient,
      subject: m.subject || m.text.slice(0, 60),
      lastError: m.lastError,
      createdAt: m.createdAt,
      retry: m.purpose !== "signing_code",
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  const formData = await request.formData();
  readIntent(formData, ["retry"] as const);
  const result = redeliverFailedMessage(admin, String(formData.get("messageId") ?? ""), metaOf(request, context));
  if (!result.ok) {
    if (result.status === 404) notFound();
    return invalid({ _form: result.error });
  }
  throw redirect("/admin/outbox");
}

export default function FailedMessages() {
  const t = useT();
  const { messages } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div>
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.outbox")}</h1>
      <p>{t("outbox.failedIntro")}</p>
      <p className="muted">{t("outbox.failedMasked")}</p>
      <FormError error={result?.formError} />
      {messages.length === 0 ? (
        <p className="muted">{t("outbox.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("mailbox.to")}</th>
                <th>{t("outbox.channel")}</th>
                <th>{t("mailbox.subject")}</th>
                <th>{t("outbox.lastError")}</th>
                <th>{t("outbox.time")}</th>
                <th>{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>{m.recipient}</td>
                  <td>{m.channel === "sms" ? t("mailbox.sms") : t("mailbox.email")}</td>
                  <td>{m.subject}</td>
                  <td>{m.lastError}</td>
                  <td>{new Date(m.createdAt).toISOString().replace("T", " ").slice(0, 16)} UTC</td>
                  <td>
                    {m.retry ? (
                      <Form method="post">
                        <input type="hidden" name="messageId" value={m.id} />
                        <SubmitButton name="intent" value="retry" className="btn small">
                          {t("outbox.retry")}
                        </SubmitButton>
                      </Form>
                    ) : (
                      <span className="muted">{t("outbox.codeNoRetry")}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
