// The deal form: header fields and a table of item rows (plain inputs; blank rows are ignored).
import { Form } from "@remix-run/react";
import { useT } from "~/i18n";
import { SelectField, SubmitButton, TextField } from "~/ui/form";

type Values = Record<string, string | undefined>;

/** Empty item rows offered below the filled ones. */
export const BLANK_ROWS = 3;

export interface DealFormOptions {
  clients: { id: string; name: string }[];
  contacts: { id: string; name: string; clientName: string }[];
  owners: { id: string; name: string }[];
  stages: readonly string[];
  currencies: readonly string[];
  vatRates: readonly { value: string }[];
}

export function DealForm(props: {
  values: Values;
  errors: Values;
  rowCount: number;
  options: DealFormOptions;
  submitLabel: string;
}) {
  const t = useT();
  const { values, errors, options } = props;
  const rows = Array.from({ length: props.rowCount }, (_, i) => i);
  const cell = (index: number, field: string) => values[`items[${index}].${field}`];
  const cellError = (index: number, field: string) => errors[`items[${index}].${field}`];
  return (
    <Form method="post" noValidate>
      {errors._form ? (
        <div className="notice error" role="alert">
          {t(errors._form)}
        </div>
      ) : null}
      <div className="card grid2">
        <TextField name="title" label={t("crm.dealTitle")} defaultValue={values.title} error={errors.title} required />
        <div className={errors.clientId ? "field has-error" : "field"}>
          <label htmlFor="field-clientId">{t("crm.client")}</label>
          <select id="field-clientId" name="clientId" defaultValue={values.clientId ?? ""}>
            <option value="">{t("crm.chooseClient")}</option>
            {options.clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {errors.clientId ? <p className="field-error">{t(errors.clientId)}</p> : null}
        </div>
        <div className={errors.contactId ? "field has-error" : "field"}>
          <label htmlFor="field-contactId">{t("crm.contact")}</label>
          <select id="field-contactId" name="contactId" defaultValue={values.contactId ?? ""}>
            <option value="">{t("common.none")}</option>
            {options.contacts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.clientName})
              </option>
            ))}
          </select>
          {errors.contactId ? <p className="field-error">{t(errors.contactId)}</p> : null}
        </div>
        <SelectField
          name="ownerId"
          label={t("crm.owner")}
          defaultValue={values.ownerId}
          error={errors.ownerId}
          options={options.owners.map((o) => ({ value: o.id, label: o.name }))}
        />
        <SelectField
          name="stage"
          label={t("crm.stage")}
          defaultValue={values.stage ?? "new"}
          error={errors.stage}
          options={options.stages.map((s) => ({ value: s, label: t(`crm.stage.${s}`) }))}
        />
        <SelectField
          name="currency"
          label={t("crm.currency")}
          defaultValue={values.currency ?? "PLN"}
          error={errors.currency}
          options={options.currencies.map((c) => ({ value: c, label: c }))}
        />
      </div>
      <h2>{t("crm.items")}</h2>
      <p className="muted">{t("crm.itemsHint")}</p>
      <div className="table-wrap card">
        <table className="items">
          <thead>
            <tr>
              <th>#</th>
              <th>{t("crm.itemName")}</th>
              <th>{t("crm.quantity")}</th>
              <th>{t("crm.unit")}</th>
              <th>{t("crm.unitNet")}</th>
              <th>{t("crm.vatRate")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td className="item-name">
                  <label className="visually-hidden" htmlFor={`item-${i}-name`}>
                    {t("crm.itemName")} {i + 1}
                  </label>
                  <input
                    id={`item-${i}-name`}
                    name={`items[${i}].name`}
                    defaultValue={cell(i, "name") ?? ""}
                    maxLength={200}
                  />
                  {cellError(i, "name") ? <p className="field-error">{t(cellError(i, "name")!)}</p> : null}
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={`item-${i}-quantity`}>
                    {t("crm.quantity")} {i + 1}
                  </label>
                  <input
                    id={`item-${i}-quantity`}
                    name={`items[${i}].quantity`}
                    inputMode="decimal"
                    defaultValue={cell(i, "quantity") ?? ""}
                    maxLength={16}
                  />
                  {cellError(i, "quantity") ? <p className="field-error">{t(cellError(i, "quantity")!)}</p> : null}
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={`item-${i}-unit`}>
                    {t("crm.unit")} {i + 1}
                  </label>
                  <input
                    id={`item-${i}-unit`}
                    name={`items[${i}].unit`}
                    defaultValue={cell(i, "unit") ?? "szt."}
                    maxLength={20}
                  />
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={`item-${i}-unitNet`}>
                    {t("crm.unitNet")} {i + 1}
                  </label>
                  <input
                    id={`item-${i}-unitNet`}
                    name={`items[${i}].unitNet`}
                    inputMode="decimal"
                    defaultValue={cell(i, "unitNet") ?? ""}
                    maxLength={16}
                  />
                  {cellError(i, "unitNet") ? <p className="field-error">{t(cellError(i, "unitNet")!)}</p> : null}
                </td>
                <td>
                  <label className="visually-hidden" htmlFor={`item-${i}-vatRate`}>
                    {t("crm.vatRate")} {i + 1}
                  </label>
                  <select
                    id={`item-${i}-vatRate`}
                    name={`items[${i}].vatRate`}
                    defaultValue={cell(i, "vatRate") ?? "23"}
                  >
                    {options.vatRates.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.value === "zw" ? "zw." : `${r.value}%`}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <input type="hidden" name="rowCount" value={props.rowCount} />
      <div className="actions">
        <SubmitButton name="intent" value="save">
          {props.submitLabel}
        </SubmitButton>
        <SubmitButton name="intent" value="addRows" className="btn secondary">
          {t("crm.addRows")}
        </SubmitButton>
      </div>
    </Form>
  );
}
