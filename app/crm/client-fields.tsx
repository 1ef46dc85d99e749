import { useT } from "~/i18n";
import { TextField } from "~/ui/form";

type Values = Record<string, string | undefined>;

export function ClientFields({ values, errors }: { values: Values; errors: Values }) {
  const t = useT();
  return (
    <>
      <TextField name="name" label={t("crm.clientName")} defaultValue={values.name} error={errors.name} required />
      <TextField
        name="taxId"
        label={t("crm.taxId")}
        defaultValue={values.taxId}
        error={errors.taxId}
        hint={t("crm.taxIdHint")}
      />
      <TextField
        name="address"
        label={t("crm.address")}
        defaultValue={values.address}
        error={errors.address}
        multiline
      />
    </>
  );
}

export function ContactFields({
  values,
  errors,
  clients,
}: {
  values: Values;
  errors: Values;
  clients: { id: string; name: string }[];
}) {
  const t = useT();
  return (
    <>
      <TextField name="name" label={t("common.name")} defaultValue={values.name} error={errors.name} required />
      <div className={errors.clientId ? "field has-error" : "field"}>
        <label htmlFor="field-clientId">{t("crm.client")}</label>
        <select id="field-clientId" name="clientId" defaultValue={values.clientId ?? ""}>
          <option value="">{t("crm.chooseClient")}</option>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {errors.clientId ? <p className="field-error">{t(errors.clientId)}</p> : null}
      </div>
      <TextField name="email" type="email" label={t("common.email")} defaultValue={values.email} error={errors.email} />
      <TextField name="phone" type="tel" label={t("common.phone")} defaultValue={values.phone} error={errors.phone} />
      <TextField name="position" label={t("crm.position")} defaultValue={values.position} error={errors.position} />
    </>
  );
}
