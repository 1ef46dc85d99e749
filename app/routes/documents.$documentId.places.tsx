import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireDraft } from "~/documents/draft.server";
import {
  addBox,
  BOX_DEFAULT_SIZE,
  documentBoxes,
  pageSizesOf,
  removeBox,
  updateBox,
} from "~/documents/documents.server";
import { DISPLAY_WIDTH, PagePreview, type DisplaySize } from "~/documents/page-preview";
import { WizardSteps } from "~/documents/wizard-steps";
import { invalid, readIntent, validate } from "~/http/forms.server";
import { metaOf } from "~/http/request.server";
import { useT } from "~/i18n";
import { FormError, SelectField, SubmitButton } from "~/ui/form";
import { boxSchema, placeSchema } from "~/documents/forms.server";
import { titleFrom } from "~/ui/meta";

export const meta = titleFrom("documents.step.places");

function displaySize(value: string | null): DisplaySize {
  return value === "desktop" ? "desktop" : "phone";
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { document } = await requireDraft(request, params.documentId);
  const url = new URL(request.url);
  return json({
    document: { id: document.id, number: document.number, version: document.originalSha256.slice(0, 12) },
    pageSizes: pageSizesOf(document),
    boxes: documentBoxes(document.id),
    size: displaySize(url.searchParams.get("size")),
    partyRole: url.searchParams.get("party") === "client" ? "client" : "company",
    kind: url.searchParams.get("kind") === "stamp" ? "stamp" : "signature",
  });
}

/** The clicked page and position from an <input type="image" name="pageN">: pageN.x, pageN.y. */
function clickedPoint(formData: FormData) {
  for (const [key, value] of formData.entries()) {
    const match = /^page(\d{1,4})\.x$/.exec(key);
    if (!match) continue;
    const y = Number(formData.get(`page${match[1]}.y`));
    const x = Number(value);
    if (Number.isFinite(x) && Number.isFinite(y)) return { page: Number(match[1]), x, y };
  }
  return null;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, document } = await requireDraft(request, params.documentId);
  const formData = await request.formData();
  const meta = metaOf(request, context);
  const clicked = clickedPoint(formData);
  const back = (query: string) => redirect(`/documents/${document.id}/places?${query}`);
  if (clicked) {
    const form = validate(placeSchema, formData);
    if (!form.ok) return invalid({ _form: form.errors.partyRole ? "documents.error.boxParty" : "error.invalid" });
    const sizes = pageSizesOf(document);
    if (clicked.page < 1 || clicked.page > sizes.length) return invalid({ _form: "documents.error.boxPage" });
    const [pageWidth, pageHeight] = sizes[clicked.page - 1];
    const scale = pageWidth / DISPLAY_WIDTH[form.data.displaySize];
    const [width, height] = BOX_DEFAULT_SIZE[form.data.kind];
    // centre the box on the click, kept inside the page
    const x = Math.min(Math.max(0, Math.round(clicked.x * scale - width / 2)), Math.floor(pageWidth - width));
    const y = Math.min(
      Math.max(0, Math.round(pageHeight - clicked.y * scale - height / 2)),
      Math.floor(pageHeight - height),
    );
    const result = addBox(
      user,
      document,
      { partyRole: form.data.partyRole, kind: form.data.kind, page: clicked.page, x, y, width, height },
      meta,
    );
    if (!result.ok) return invalid({ _form: result.error });
    throw back(`size=${form.data.displaySize}&party=${form.data.partyRole}&kind=${form.data.kind}`);
  }
  const intent = readIntent(formData, ["update", "remove"] as const);
  if (intent === "remove") {
    const result = removeBox(user, document, String(formData.get("boxId") ?? ""), meta);
    if (!result.ok) return invalid({ _form: result.error });
    throw back("");
  }
  const form = validate(boxSchema, formData);
  if (!form.ok) return invalid({ _form: "documents.error.boxNumbers", ...form.errors }, form.values);
  const existing = documentBoxes(document.id).find((b) => b.id === form.data.boxId);
  if (!existing) return invalid({ _form: "documents.error.boxMissing" });
  const { boxId, ...box } = form.data;
  const result = updateBox(user, document, boxId, { ...box, partyRole: existing.partyRole, kind: existing.kind }, meta);
  if (!result.ok) return invalid({ _form: result.error }, form.values);
  throw back("");
}

export default function PlacesStep() {
  const t = useT();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { document } = data;
  const other = data.size === "phone" ? "desktop" : "phone";
  return (
    <div>
      <p>
        <Link to={`/documents/${document.id}`}>{document.number}</Link>
      </p>
      <h1>{t("documents.step.places")}</h1>
      <WizardSteps documentId={document.id} current="places" />
      <p className="muted">{t("documents.placesIntro")}</p>
      <FormError error={result?.formError} />
      <h2>{t("documents.boxes")}</h2>
      {data.boxes.length === 0 ? (
        <p className="muted">{t("documents.noBoxes")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("documents.party")}</th>
                <th>{t("documents.kind")}</th>
                <th>{t("documents.boxPosition")}</th>
                <th>{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.boxes.map((box) => (
                <tr key={box.id} className="box-row">
                  <td>{t(`documents.party.${box.partyRole}`)}</td>
                  <td>{t(`documents.kind.${box.kind}`)}</td>
                  <td>
                    <Form method="post" id={`box-${box.id}`} className="inline">
                      <input type="hidden" name="boxId" value={box.id} />
                      {(["page", "x", "y", "width", "height"] as const).map((field) => (
                        <label key={field} className="inline">
                          {" "}
                          {t(`documents.box.${field}`)}{" "}
                          <input
                            type="number"
                            name={field}
                            defaultValue={box[field]}
                            min={field === "page" ? 1 : 0}
                            step={1}
                            inputMode="numeric"
                          />
                        </label>
                      ))}
                    </Form>
                  </td>
                  <td className="actions">
                    <button
                      type="submit"
                      form={`box-${box.id}`}
                      name="intent"
                      value="update"
                      className="btn small secondary"
                    >
                      {t("documents.moveBox")}
                    </button>
                    <Form method="post" className="inline">
                      <input type="hidden" name="boxId" value={box.id} />
                      <SubmitButton name="intent" value="remove" className="btn small danger">
                        {t("documents.removeBox")}
                      </SubmitButton>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t("documents.addBox")}</h2>
      {/* a full page load: the image button's click position must reach the server as is */}
      <Form method="post" reloadDocument>
        <input type="hidden" name="displaySize" value={data.size} />
        <div className="grid2">
          <SelectField
            name="partyRole"
            label={t("documents.party")}
            defaultValue={data.partyRole}
            options={[
              { value: "company", label: t("documents.party.company") },
              { value: "client", label: t("documents.party.client") },
            ]}
          />
          <SelectField
            name="kind"
            label={t("documents.kind")}
            defaultValue={data.kind}
            options={[
              { value: "signature", label: t("documents.kind.signature") },
              { value: "stamp", label: t("documents.kind.stamp") },
            ]}
          />
        </div>
        <p className="muted">
          {t("documents.clickToPlace")} <Link to={`?size=${other}`}>{t(`documents.size.${other}`)}</Link>
        </p>
        <div className="pages">
          {data.pageSizes.map((size, index) => (
            <PagePreview
              key={index}
              page={index + 1}
              pageSize={size}
              boxes={data.boxes}
              size={data.size}
              inputName={`page${index + 1}`}
              src={`/documents/${document.id}/page/${index + 1}?size=${data.size === "desktop" ? "desktop" : "phone"}&v=${document.version}`}
            />
          ))}
        </div>
      </Form>
      <p className="actions">
        <Link className="btn secondary" to={`/documents/${document.id}/parties`}>
          {t("common.back")}
        </Link>
        <Link className="btn" to={`/documents/${document.id}/summary`}>
          {t("common.continue")}
        </Link>
      </p>
    </div>
  );
}
