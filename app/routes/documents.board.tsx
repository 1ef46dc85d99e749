// Card actions of the board and the list (POST), and the page that asks why a document is
// cancelled (GET ?cancel=<id>). Success redirects back to the view the user came from.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CARD_INTENTS, cancelSchema, runCardAction } from "~/board/actions.server";
import { requireStaff } from "~/auth/session.server";
import { findDocument } from "~/documents/documents.server";
import { isLegalTransition } from "~/documents/lifecycle.server";
import { invalid, notFound, readIntent, validate } from "~/http/forms.server";
import { metaOf, safeRedirectPath } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, SubmitButton, TextField } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("board.title");

/** Where to go back to: the `back` field, else the page the form was on, if it is a board view. */
function backPath(request: Request, form?: FormData): string {
  const candidates = [form?.get("back"), request.headers.get("Referer")];
  for (const candidate of candidates) {
    if (typeof candidate !== "string" || candidate === "") continue;
    let path: string;
    try {
      const url = new URL(candidate, request.url);
      if (url.origin !== new URL(request.url).origin) continue;
      path = url.pathname + url.search;
    } catch {
      continue;
    }
    path = safeRedirectPath(path, "");
    if (/^\/(documents(\/list)?|team)(\?|$)/.test(path)) return path;
  }
  return "/documents";
}

function withNotice(path: string, done: string, number: string) {
  const url = new URL(path, "http://x");
  url.searchParams.set("done", done);
  url.searchParams.set("n", number);
  return url.pathname + url.search;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const id = new URL(request.url).searchParams.get("cancel");
  // no ?cancel: this page only shows the answer to a refused card action
  if (!id) return json({ document: null, cancellable: false, back: backPath(request) });
  const document = findDocument(user, id.slice(0, 64));
  if (!document) notFound();
  return json({
    document: { id: document.id, number: document.number, title: document.title },
    cancellable: isLegalTransition(document.stage, "cancelled"),
    back: backPath(request),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const form = await request.formData();
  const intent = readIntent(form, CARD_INTENTS);
  const id = form.get("id");
  if (typeof id !== "string" || id === "" || id.length > 64) notFound();
  let reason: string | undefined;
  if (intent === "cancel") {
    const checked = validate(cancelSchema, form);
    if (!checked.ok) return invalid(checked.errors, checked.values);
    reason = checked.data.reason;
  }
  const result = await runCardAction(user, intent, id, { reason }, metaOf(request, context));
  if (!result.ok) {
    if (result.status === 404) notFound();
    return json(
      {
        errors: {} as Record<string, string>,
        formError: result.error,
        number: result.number ?? "",
        back: backPath(request, form),
      },
      { status: result.status },
    );
  }
  throw redirect(withNotice(backPath(request, form), intent, result.number));
}

export default function CardAction() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refusal = result && "number" in result ? result : null;
  if (refusal) {
    return (
      <div className="narrow">
        <h1>{t("board.error.title")}</h1>
        <div className="notice error" role="alert">
          {t(refusal.formError ?? "board.error.illegal", { number: refusal.number })}
        </div>
        <p>
          <Link to={refusal.back}>{t("board.backToBoard")}</Link>
        </p>
      </div>
    );
  }
  const { document, cancellable, back } = data;
  if (!document)
    return (
      <p>
        <Link to="/documents">{t("board.backToBoard")}</Link>
      </p>
    );
  const values = (result && "values" in result ? result.values : {}) as Record<string, string | undefined>;
  const errors = (result && "errors" in result ? result.errors : {}) as Record<string, string | undefined>;
  return (
    <div className="narrow">
      <h1>{t("board.cancel.title", { number: document.number })}</h1>
      {cancellable ? (
        <Form method="post" className="card">
          <p>{t("board.cancel.intro", { title: document.title })}</p>
          <FormError error={result && "formError" in result ? result.formError : null} />
          <input type="hidden" name="id" value={document.id} />
          <input type="hidden" name="back" value={back} />
          <TextField
            name="reason"
            label={t("board.cancel.reason")}
            error={errors.reason}
            defaultValue={values.reason}
            required
            maxLength={500}
            multiline
          />
          <p className="actions">
            <SubmitButton name="intent" value="cancel" className="btn danger">
              {t("board.cancel.submit")}
            </SubmitButton>
            <Link to={back}>{t("board.cancel.back")}</Link>
          </p>
        </Form>
      ) : (
        <>
          <div className="notice error" role="alert">
            {t("board.error.illegal", { number: document.number })}
          </div>
          <p>
            <Link to={back}>{t("board.backToBoard")}</Link>
          </p>
        </>
      )}
    </div>
  );
}
