// Form building blocks: real labels, errors next to fields, pending state with JS on.
import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/i18n";

export type FieldErrors = Record<string, string | undefined>;

interface TextFieldProps {
  name: string;
  label: string;
  type?: string;
  defaultValue?: string | number | null;
  error?: string;
  hint?: string;
  required?: boolean;
  autoComplete?: string;
  maxLength?: number;
  inputMode?: "text" | "numeric" | "decimal" | "tel" | "email";
  multiline?: boolean;
}

export function TextField(props: TextFieldProps) {
  const t = useT();
  const id = `field-${props.name}`;
  const errorId = `${id}-error`;
  const common = {
    id,
    name: props.name,
    defaultValue: props.defaultValue ?? "",
    required: props.required,
    maxLength: props.maxLength,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": props.error ? errorId : undefined,
  };
  return (
    <div className={props.error ? "field has-error" : "field"}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} />
      ) : (
        <input {...common} type={props.type ?? "text"} autoComplete={props.autoComplete} inputMode={props.inputMode} />
      )}
      {props.hint ? <div className="hint">{props.hint}</div> : null}
      {props.error ? (
        <p className="field-error" id={errorId}>
          {t(props.error)}
        </p>
      ) : null}
    </div>
  );
}

interface SelectFieldProps {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  defaultValue?: string | null;
  error?: string;
}

export function SelectField(props: SelectFieldProps) {
  const t = useT();
  const id = `field-${props.name}`;
  return (
    <div className={props.error ? "field has-error" : "field"}>
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        defaultValue={props.defaultValue ?? ""}
        aria-invalid={props.error ? true : undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error ? <p className="field-error">{t(props.error)}</p> : null}
    </div>
  );
}

export function CheckboxField(props: { name: string; label: string; defaultChecked?: boolean; value?: string }) {
  const id = `field-${props.name}-${props.value ?? "on"}`;
  return (
    <div className="check">
      <input
        type="checkbox"
        id={id}
        name={props.name}
        value={props.value ?? "on"}
        defaultChecked={props.defaultChecked}
      />
      <label htmlFor={id}>{props.label}</label>
    </div>
  );
}

/** Submit button that disables itself while its form is submitting (JS on only). */
export function SubmitButton(props: {
  children: ReactNode;
  name?: string;
  value?: string;
  className?: string;
  formAction?: string;
}) {
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    (props.name === undefined || navigation.formData?.get(props.name) === props.value);
  return (
    <button
      type="submit"
      name={props.name}
      value={props.value}
      className={props.className ?? "btn"}
      disabled={busy}
      formAction={props.formAction}
    >
      {props.children}
    </button>
  );
}

export function FormError({ error }: { error?: string | null }) {
  const t = useT();
  if (!error) return null;
  return (
    <div className="notice error" role="alert">
      {t(error)}
    </div>
  );
}

export function Notice({ message }: { message?: string | null }) {
  const t = useT();
  if (!message) return null;
  return (
    <div className="notice success" role="status">
      {t(message)}
    </div>
  );
}
