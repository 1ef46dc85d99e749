// The signer's page behind a signing link: terms → code → review → data → signature →
// stamp → preview → Sign (or Decline). One route; the server decides what the link may show.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { invalid, readIntent, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { isMultipart, readMultipartForm, uploadedFileBytes } from "~/http/uploads.server";
import { useT } from "~/i18n";
import { MAX_IMAGE_BYTES } from "~/pdf/images.server";
import { sealDocument } from "~/signing/complete.server";
import { DrawPad, PagePreviews } from "~/signing/pages";
import {
  acceptTermsAndSendCode,
  codeBrowserCookie,
  codeBrowserOf,
  declineAsSigner,
  declineSchema,
  findSigningLink,
  linkState,
  providedDataSchema,
  requiredDataFields,
  resendCode,
  saveProvidedData,
  saveSignerImage,
  signAsSigner,
  signerSessionCookie,
  verifyCode,
  type ImageSource,
} from "~/signing/signer.server";
import { nextStep, parseStep, signerView, type SignerSessionView, type Step } from "~/signing/view.server";
import { CheckboxField, FormError, Notice, SubmitButton, TextField } from "~/ui/form";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("signing.title");

// the token is in the URL: never cached, never passed on (server.ts sets the same on every response here)
const NO_STORE = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
export const headers = () => NO_STORE;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const url = new URL(request.url);
  const context = findSigningLink(token);
  const state = linkState(context, request.headers.get("Cookie"), token);
  const step = state.kind === "session" ? parseStep(state.context, url.searchParams.get("step")) : null;
  const view = signerView(state, step);
  return json(
    { token, view, sent: url.searchParams.get("sent") === "1", saved: url.searchParams.get("saved") },
    { status: state.kind === "invalid" ? 404 : 200, headers: NO_STORE },
  );
}

const INTENTS = ["accept", "resend", "code", "signature", "stamp", "data", "sign", "decline"] as const;

export async function action({ request, params, context: loadContext }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const here = `/s/${token}`;
  const meta = metaOf(request, loadContext);
  let formData: FormData;
  if (isMultipart(request)) {
    const upload = await readMultipartForm(request, MAX_IMAGE_BYTES);
    if (!upload.ok)
      return invalid({
        _form: upload.error === "error.upload.tooLarge" ? "signing.error.imageTooLarge" : upload.error,
      });
    formData = upload.formData;
  } else {
    formData = await request.formData();
  }
  const intent = readIntent(formData, INTENTS);
  const context = findSigningLink(token);
  const state = linkState(context, request.headers.get("Cookie"), token);
  if (state.kind === "invalid") throw new Response("Not found", { status: 404 });

  // codes belong to the browser that asked for them (a cookie under this link)
  const browser = codeBrowserOf(request.headers.get("Cookie"));
  const codeCookie = { "Set-Cookie": codeBrowserCookie(browser, token) };
  if (intent === "accept") {
    if (state.kind !== "terms" && state.kind !== "code") throw redirect(here);
    if (formData.get("terms") !== "on") return invalid({ terms: "signing.error.terms" });
    const result = acceptTermsAndSendCode(state.context, meta, browser);
    if (!result.ok) return invalid({ _form: result.error });
    throw redirect(`${here}?sent=1`, { headers: codeCookie });
  }
  if (intent === "resend") {
    if (state.kind !== "code") throw redirect(here);
    const result = resendCode(state.context, meta, browser);
    if (!result.ok) return invalid({ _form: result.error });
    throw redirect(`${here}?sent=1`, { headers: codeCookie });
  }
  if (intent === "code") {
    if (state.kind !== "code") throw redirect(here);
    const result = verifyCode(state.context, String(formData.get("code") ?? ""), meta, browser);
    if (!result.ok) return invalid({ [result.field ?? "_form"]: result.error });
    throw redirect(`${here}?step=review`, { headers: { "Set-Cookie": signerSessionCookie(result.party!, token) } });
  }
  // everything below needs a confirmed code
  if (state.kind !== "session") throw redirect(here);
  const signer = state.context;

  if (intent === "signature" || intent === "stamp") {
    const method = String(formData.get("method") ?? "upload");
    let source: ImageSource;
    if (method === "typed" && intent === "signature")
      source = { method: "typed", name: String(formData.get("typedName") ?? "") };
    else if (method === "drawn" && intent === "signature")
      source = { method: "drawn", dataUrl: String(formData.get("drawing") ?? "") };
    else if (method === "saved") source = { method: "saved" };
    else {
      const bytes = await uploadedFileBytes(formData, "file");
      if (!bytes) return invalid({ [`${intent}Upload`]: "error.upload.missing" });
      source = { method: "upload", bytes };
    }
    if (source.method === "drawn" && !source.dataUrl) return invalid({ signatureDrawn: "signing.error.drawFirst" });
    const result = await saveSignerImage(signer, intent, source, meta);
    if (!result.ok) {
      const field =
        source.method === "typed"
          ? "typedName"
          : source.method === "drawn"
            ? "signatureDrawn"
            : source.method === "saved"
              ? "_form"
              : `${intent}Upload`;
      return invalid({ [field]: result.error });
    }
    throw redirect(`${here}?step=${nextStep(signer, intent)}&saved=${intent}`);
  }
  if (intent === "data") {
    const form = validate(providedDataSchema(requiredDataFields(signer)), formData);
    if (!form.ok) return invalid(form.errors, form.values);
    const result = saveProvidedData(signer, form.data as Record<string, string>, meta);
    if (!result.ok) return invalid({ _form: result.error }, form.values);
    throw redirect(`${here}?step=${nextStep(signer, "data")}`);
  }
  if (intent === "sign") {
    const result = signAsSigner(
      signer,
      { keepImages: formData.get("keepImages") === "on" && signer.party.role === "company" },
      meta,
    );
    if (!result.ok) return invalid({ _form: result.error });
    if (result.completed) {
      // sealed now when possible; the signing worker retries if this fails
      await sealDocument(signer.document.id).catch((error) => console.error("sealing after sign failed:", error));
    }
    throw redirect(here);
  }
  // decline
  const form = validate(declineSchema, formData);
  if (!form.ok) return invalid(form.errors, form.values);
  const result = declineAsSigner(signer, form.data.reason, meta);
  if (!result.ok) return invalid({ _form: result.error });
  throw redirect(here);
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Errors = Record<string, string | undefined>;

export default function SigningPage() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Errors = (result as { errors?: Errors } | undefined)?.errors ?? {};
  const formError = (result as { formError?: string | null } | undefined)?.formError;
  const values = (result as { values?: Record<string, string> } | undefined)?.values ?? {};
  const view = data.view;
  if (view.kind === "invalid") {
    return (
      <div className="narrow sign">
        <h1>{t("signing.invalid.title")}</h1>
        <p>{t("signing.invalid.body")}</p>
      </div>
    );
  }
  const doc = view.document;
  const heading = (
    <p className="muted sign-doc">
      {doc.company} · {doc.number}
      {doc.title !== doc.number ? ` · ${doc.title}` : ""}
    </p>
  );
  switch (view.kind) {
    case "expired":
      return <Simple heading={heading} title={t("signing.expired.title")} body={t("signing.expired.body")} />;
    case "ended":
      return (
        <Simple
          heading={heading}
          title={t(`signing.ended.${doc.stage}.title`)}
          body={t(`signing.ended.${doc.stage}.body`)}
        >
          {doc.endReason ? (
            <p>
              {t("signing.ended.reason")}: {doc.endReason}
            </p>
          ) : null}
        </Simple>
      );
    case "completed":
      return (
        <Simple heading={heading} title={t("signing.completed.title")} body={t("signing.completed.body")}>
          <p>
            <a className="btn" href={`/s/${data.token}/signed.pdf`}>
              {t("signing.completed.download")}
            </a>
          </p>
          <p className="muted">
            {t("signing.completed.verify")} <a href={doc.verifyUrl}>{doc.verifyUrl}</a>
          </p>
        </Simple>
      );
    case "notReady":
      return <Simple heading={heading} title={t("signing.notReady.title")} body={t("signing.notReady.body")} />;
    case "signedByMe":
      return (
        <Simple
          heading={heading}
          title={t("signing.signed.title")}
          body={t(
            doc.sealing
              ? "signing.signed.sealing"
              : view.party.role === "company"
                ? "signing.signed.toClient"
                : "signing.signed.waiting",
          )}
        />
      );
    case "terms":
      return (
        <div className="narrow sign">
          {heading}
          <h1>{t("signing.terms.title")}</h1>
          <p>{t("signing.terms.intro", { name: view.party.name })}</p>
          <ul className="sign-terms">
            <li>{t("signing.terms.1")}</li>
            <li>{t("signing.terms.2")}</li>
            <li>{t("signing.terms.3")}</li>
            <li>{t("signing.terms.4")}</li>
          </ul>
          <FormError error={formError} />
          <Form method="post" className="card">
            <CheckboxField name="terms" label={t("signing.terms.accept")} />
            {errors.terms ? <p className="field-error">{t(errors.terms)}</p> : null}
            <SubmitButton name="intent" value="accept">
              {t(view.party.channel === "sms" ? "signing.terms.submitSms" : "signing.terms.submitEmail")}
            </SubmitButton>
          </Form>
        </div>
      );
    case "code":
      return (
        <div className="narrow sign">
          {heading}
          <h1>{t("signing.code.title")}</h1>
          {data.sent ? (
            <Notice message={view.party.channel === "sms" ? "signing.code.sentSms" : "signing.code.sentEmail"} />
          ) : (
            <p>{t("signing.code.intro")}</p>
          )}
          <FormError error={formError} />
          {view.party.linkLocked && !formError ? (
            <div className="notice error" role="alert">
              {t("signing.code.locked")}
            </div>
          ) : null}
          <Form method="post" className="card" noValidate>
            <TextField
              name="code"
              label={t("signing.code.label")}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={12}
              error={errors.code}
              required
            />
            <SubmitButton name="intent" value="code">
              {t("signing.code.submit")}
            </SubmitButton>
          </Form>
          <Form method="post">
            <p className="muted">{t("signing.code.noCode")}</p>
            <SubmitButton name="intent" value="resend" className="btn secondary">
              {t("signing.code.resend")}
            </SubmitButton>
          </Form>
        </div>
      );
    case "session":
      return <Working data={data} errors={errors} values={values} formError={formError} heading={heading} />;
  }
  return null;
}

function Simple(props: { heading: React.ReactNode; title: string; body: string; children?: React.ReactNode }) {
  return (
    <div className="narrow sign">
      {props.heading}
      <h1>{props.title}</h1>
      <p>{props.body}</p>
      {props.children}
    </div>
  );
}

function Working({
  data,
  errors,
  values,
  formError,
  heading,
}: {
  data: Data;
  errors: Errors;
  values: Record<string, string>;
  formError?: string | null;
  heading: React.ReactNode;
}) {
  const t = useT();
  const view = data.view as unknown as {
    party: { role: "company" | "client"; name: string };
    session: SignerSessionView;
  };
  const session = view.session;
  const step = session.step as Step;
  const index = session.steps.indexOf(step);
  const next = session.steps[index + 1];
  const here = `/s/${data.token}`;
  const isDirector = view.party.role === "company";
  return (
    <div className="sign">
      {heading}
      <nav className="sign-steps" aria-label={t("signing.steps.label")}>
        <ol>
          {session.steps.map((s, i) => (
            <li key={s} aria-current={s === step ? "step" : undefined}>
              {s === step ? (
                <strong>
                  {i + 1}. {t(`signing.step.${s}`)}
                </strong>
              ) : (
                <Link to={`${here}?step=${s}`}>
                  {i + 1}. {t(`signing.step.${s}`)}
                </Link>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <h1>{t(`signing.step.${step}.title`)}</h1>
      <FormError error={formError} />
      {data.saved ? <Notice message={`signing.saved.${data.saved === "stamp" ? "stamp" : "signature"}`} /> : null}

      {step === "review" ? (
        <>
          <p>{t("signing.review.intro")}</p>
          <p>
            <a href={`${here}/original.pdf`}>{t("signing.review.download")}</a>
          </p>
          <PagePreviews token={data.token} pages={session.pages} />
          <p className="actions">
            <Link className="btn" to={`${here}?step=${next}`}>
              {t("signing.continue")}
            </Link>
          </p>
        </>
      ) : null}

      {step === "data" ? (
        <Form method="post" className="card narrow" noValidate>
          <p>{t("signing.data.intro")}</p>
          {session.requiredFields.map((field) => (
            <TextField
              key={field}
              name={field}
              label={t(`signing.data.${field}`)}
              defaultValue={values[field] ?? (session.provided as Record<string, string>)[field] ?? ""}
              error={errors[field]}
              required
            />
          ))}
          <SubmitButton name="intent" value="data">
            {t("signing.continue")}
          </SubmitButton>
        </Form>
      ) : null}

      {step === "signature" ? (
        <>
          <p>{t("signing.signature.intro")}</p>
          {session.images[`${view.party.role}-signature`] ? (
            <div className="card sign-current">
              <span className="label">{t("signing.signature.current")}</span>
              <img
                src={`${here}/image/${view.party.role}-signature?v=${session.imageVersion}`}
                alt={t("signing.box.signature")}
              />
              <p>
                <Link className="btn" to={`${here}?step=${next}`}>
                  {t("signing.continue")}
                </Link>
              </p>
            </div>
          ) : null}
          {isDirector && session.saved.signature ? (
            <Form method="post" className="card">
              <input type="hidden" name="method" value="saved" />
              <SubmitButton name="intent" value="signature" className="btn secondary">
                {t("signing.signature.useSaved")}
              </SubmitButton>
            </Form>
          ) : null}
          <Form method="post" className="card" noValidate>
            <input type="hidden" name="method" value="typed" />
            <TextField
              name="typedName"
              label={t("signing.signature.typed")}
              hint={t("signing.signature.typedHint")}
              defaultValue={view.party.name}
              error={errors.typedName}
              maxLength={80}
            />
            <SubmitButton name="intent" value="signature">
              {t("signing.signature.useTyped")}
            </SubmitButton>
          </Form>
          <Form method="post" encType="multipart/form-data" className="card">
            <input type="hidden" name="method" value="upload" />
            <FileField name="file" label={t("signing.signature.upload")} error={errors.signatureUpload} />
            <SubmitButton name="intent" value="signature">
              {t("signing.signature.useUpload")}
            </SubmitButton>
          </Form>
          <DrawForm error={errors.signatureDrawn} />
        </>
      ) : null}

      {step === "stamp" ? (
        <>
          <p>{t(session.stampRequired ? "signing.stamp.introRequired" : "signing.stamp.introOptional")}</p>
          {session.images[`${view.party.role}-stamp`] ? (
            <div className="card sign-current">
              <span className="label">{t("signing.stamp.current")}</span>
              <img
                src={`${here}/image/${view.party.role}-stamp?v=${session.imageVersion}`}
                alt={t("signing.box.stamp")}
              />
            </div>
          ) : null}
          {isDirector && session.saved.stamp ? (
            <Form method="post" className="card">
              <input type="hidden" name="method" value="saved" />
              <SubmitButton name="intent" value="stamp" className="btn secondary">
                {t("signing.stamp.useSaved")}
              </SubmitButton>
            </Form>
          ) : null}
          <Form method="post" encType="multipart/form-data" className="card">
            <input type="hidden" name="method" value="upload" />
            <FileField name="file" label={t("signing.stamp.upload")} error={errors.stampUpload} />
            <SubmitButton name="intent" value="stamp">
              {t("signing.stamp.useUpload")}
            </SubmitButton>
          </Form>
          {session.images[`${view.party.role}-stamp`] || !session.stampRequired ? (
            <p className="actions">
              <Link className="btn" to={`${here}?step=${next}`}>
                {t("signing.continue")}
              </Link>
            </p>
          ) : null}
        </>
      ) : null}

      {step === "preview" ? (
        <>
          {session.missing.length > 0 ? (
            <div className="notice error" role="alert">
              <p>{t("signing.preview.missing")}</p>
              <ul>
                {session.missing.map((m) => (
                  <li key={m}>
                    <Link to={`${here}?step=${m}`}>{t(`signing.step.${m}`)}</Link>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p>{t("signing.preview.intro")}</p>
          )}
          <PagePreviews
            token={data.token}
            pages={session.pages}
            images={session.images}
            version={session.imageVersion}
            onlyWithBoxes
          />
          <Form method="post" className="card">
            {isDirector ? <CheckboxField name="keepImages" label={t("signing.preview.keepImages")} /> : null}
            <p className="muted">{t("signing.preview.legal")}</p>
            <SubmitButton name="intent" value="sign" className="btn sign-button">
              {t("signing.sign")}
            </SubmitButton>
          </Form>
        </>
      ) : null}

      {step === "review" || step === "preview" ? (
        <details className="sign-decline">
          <summary>{t("signing.decline")}</summary>
          <Form method="post" className="card" noValidate>
            <TextField
              name="reason"
              label={t("signing.decline.reason")}
              multiline
              maxLength={500}
              error={errors.reason}
              required
            />
            <SubmitButton name="intent" value="decline" className="btn danger">
              {t("signing.decline.submit")}
            </SubmitButton>
          </Form>
        </details>
      ) : null}
    </div>
  );
}

function FileField(props: { name: string; label: string; error?: string }) {
  const t = useT();
  const id = `field-${props.name}-${props.label.length}`;
  return (
    <div className={props.error ? "field has-error" : "field"}>
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="file"
        name={props.name}
        accept="image/png,image/jpeg"
        aria-invalid={props.error ? true : undefined}
      />
      <div className="hint">{t("signing.upload.hint")}</div>
      {props.error ? <p className="field-error">{t(props.error)}</p> : null}
    </div>
  );
}

function DrawForm({ error }: { error?: string }) {
  const t = useT();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!hydrated) return null;
  return (
    <Form method="post" className="card sign-draw">
      <input type="hidden" name="method" value="drawn" />
      <DrawPad label={t("signing.signature.draw")} clearLabel={t("signing.signature.clear")} />
      {error ? <p className="field-error">{t(error)}</p> : null}
      <SubmitButton name="intent" value="signature" className="btn secondary">
        {t("signing.signature.useDrawn")}
      </SubmitButton>
    </Form>
  );
}
