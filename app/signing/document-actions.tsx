// Staff forms for a document being signed (remind, resend, correct, cancel), posted to
// /documents/<id>/manage. Plain forms: they work with JavaScript off. Shows the outcome of
// the last action from ?done= / ?error= after the redirect.
import { Form, useSearchParams } from "@remix-run/react";
import { useT } from "~/i18n";
import { SubmitButton } from "~/ui/form";

export interface SigningActionsProps {
  document: { id: string; stage: string; clientChannel: "email" | "sms"; sealPendingSince?: string | Date | null };
  parties: {
    role: "company" | "client";
    name: string;
    email: string;
    phone: string;
    status: string;
    linkLockedAt?: string | Date | null;
  }[];
  /** Where to come back to after an action; defaults to the document page. */
  redirectTo?: string;
}

const IN_PROGRESS = ["company_signing", "client_signing"];
const MANAGE_INTENTS = ["remind", "resend", "correct", "cancel"];

export function SigningActions({ document, parties, redirectTo }: SigningActionsProps) {
  const t = useT();
  const [params] = useSearchParams();
  // only the outcomes of our own intents: the page has its own (?done=sent ...)
  const done = MANAGE_INTENTS.includes(params.get("done") ?? "") ? params.get("done") : null;
  const error = MANAGE_INTENTS.includes(params.get("failed") ?? "") ? params.get("error") : null;
  const action = `/documents/${document.id}/manage`;
  const back = redirectTo ?? `/documents/${document.id}`;
  const inProgress = IN_PROGRESS.includes(document.stage) && !document.sealPendingSince;
  const cancellable = inProgress || document.stage === "draft";
  const turn = document.stage === "company_signing" ? "company" : document.stage === "client_signing" ? "client" : null;
  const open = parties.filter((p) => p.status !== "signed" && p.status !== "declined");
  if (!cancellable) {
    return document.stage === "signed" || document.stage === "archived" ? (
      <section className="signing-actions" aria-labelledby="signing-actions-title">
        <h2 id="signing-actions-title">{t("signing.manage.title")}</h2>
        <p>
          <a className="btn" href={`/documents/${document.id}/signed.pdf`}>
            {t("signing.manage.downloadSigned")}
          </a>
        </p>
      </section>
    ) : null;
  }
  return (
    <section className="signing-actions" aria-labelledby="signing-actions-title">
      <h2 id="signing-actions-title">{t("signing.manage.title")}</h2>
      {done ? (
        <div className="notice success" role="status">
          {t(`signing.manage.done.${done}`)}
        </div>
      ) : null}
      {error ? (
        <div className="notice error" role="alert">
          {t(error)}
        </div>
      ) : null}
      {inProgress && turn
        ? parties
            .filter((p) => p.role === turn && p.linkLockedAt)
            .map((p) => (
              <div key={p.role} className="notice error" role="alert">
                {t("signing.manage.locked", { who: p.name || t(`signing.role.${p.role}`) })}
              </div>
            ))
        : null}
      {inProgress && turn ? (
        <div className="actions">
          <Form method="post" action={action}>
            <input type="hidden" name="redirectTo" value={back} />
            <SubmitButton name="intent" value="remind" className="btn secondary">
              {t("signing.manage.remind")}
            </SubmitButton>
          </Form>
          <Form method="post" action={action}>
            <input type="hidden" name="redirectTo" value={back} />
            <input type="hidden" name="role" value={turn} />
            <SubmitButton name="intent" value="resend" className="btn secondary">
              {t("signing.manage.resend")}
            </SubmitButton>
          </Form>
        </div>
      ) : null}
      {open.map((party) => {
        const sms = party.role === "client" && document.clientChannel === "sms";
        return (
          <details key={party.role} className="card">
            <summary>{t("signing.manage.correct", { who: party.name || t(`signing.role.${party.role}`) })}</summary>
            <Form method="post" action={action}>
              <input type="hidden" name="redirectTo" value={back} />
              <input type="hidden" name="role" value={party.role} />
              <div className="field">
                <label htmlFor={`correct-${party.role}`}>
                  {t(sms ? "signing.manage.phone" : "signing.manage.email")}
                </label>
                <input
                  id={`correct-${party.role}`}
                  name={sms ? "phone" : "email"}
                  type={sms ? "tel" : "email"}
                  defaultValue={sms ? party.phone : party.email}
                  required
                />
              </div>
              <SubmitButton name="intent" value="correct" className="btn secondary">
                {t("signing.manage.correctSubmit")}
              </SubmitButton>
            </Form>
          </details>
        );
      })}
      <details className="card">
        <summary>{t("signing.manage.cancel")}</summary>
        <Form method="post" action={action}>
          <input type="hidden" name="redirectTo" value={back} />
          <div className="field">
            <label htmlFor="cancel-reason">{t("signing.manage.cancelReason")}</label>
            <textarea id="cancel-reason" name="reason" maxLength={500} required />
          </div>
          <SubmitButton name="intent" value="cancel" className="btn danger">
            {t("signing.manage.cancelSubmit")}
          </SubmitButton>
        </Form>
      </details>
    </section>
  );
}
