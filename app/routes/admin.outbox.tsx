import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/session.server";
import { notFound, readIntent } from "~/http/forms.server";
import { listFailedMessages, retryMessage } from "~/notify/outbox.server";
import { useT } from "~/i18n";
import { SubmitButton } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("admin.outbox");

export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  return json({ messages: listFailedMessages(admin.companyId) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireStaff(request, ["admin"]);
  const formData = await request.formData();
  readIntent(formData, ["retry"] as const);
  if (!retryMessage(admin.companyId, String(formData.get("messageId") ?? ""))) notFound();
  throw redirect("/admin/outbox");
}

export default function FailedMessages() {
  const t = useT();
  const { messages } = useLoaderData<typeof loader>();
  return (
    <div>
      <p>
        <Link to="/admin">{t("admin.title")}</Link>
      </p>
      <h1>{t("admin.outbox")}</h1>
      <p>{t("outbox.failedIntro")}</p>
      {messages.length === 0 ? (
        <p className="muted">{t("outbox.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("mailbox.to")}</th>
                <th>{t("mailbox.subject")}</th>
                <th>{t("outbox.lastError")}</th>
                <th>{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.channel === "sms" ? "SMS " : ""}
                    {m.recipient}
                  </td>
                  <td>{m.subject || m.text.slice(0, 60)}</td>
                  <td>{m.lastError}</td>
                  <td>
                    <Form method="post">
                      <input type="hidden" name="messageId" value={m.id} />
                      <SubmitButton name="intent" value="retry" className="btn small">
                        {t("outbox.retry")}
                      </SubmitButton>
                    </Form>
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
