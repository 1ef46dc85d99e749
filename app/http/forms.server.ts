// The one way forms are read and validated: zod on the server, field errors as i18n keys.
import { json } from "@remix-run/node";
import { z, type ZodTypeAny } from "zod";

export type FieldErrors = Record<string, string>;

export type Validated<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  return values;
}

function messageFor(issue: z.ZodIssue): string {
  if (issue.message.startsWith("error.")) return issue.message;
  if (issue.code === "too_small" && issue.type === "string" && issue.minimum === 1) return "error.required";
  if (issue.code === "invalid_type" && issue.received === "undefined") return "error.required";
  if (issue.code === "too_big") return issue.type === "string" ? "error.tooLong" : "error.tooLarge";
  if (issue.code === "too_small") return issue.type === "string" ? "error.tooShort" : "error.tooSmall";
  if (issue.code === "invalid_string" && issue.validation === "email") return "error.email";
  return "error.invalid";
}

export function validate<S extends ZodTypeAny>(
  schema: S,
  input: FormData | Record<string, unknown>,
): Validated<z.infer<S>> {
  const values = input instanceof FormData ? formValues(input) : (input as Record<string, string>);
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values: input instanceof FormData ? values : {} };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join(".") || "_form";
    errors[key] ??= messageFor(issue);
  }
  return { ok: false, errors, values: input instanceof FormData ? values : {} };
}

/** 400 with field errors and the submitted values, for the form to show again. */
export function invalid(errors: FieldErrors, values: Record<string, string> = {}) {
  return json({ errors, values, formError: errors._form ?? null }, { status: 400 });
}

/** Reads the intent of a multi-action form; anything else is a 400. */
export function readIntent<T extends string>(formData: FormData, allowed: readonly T[]): T {
  const intent = formData.get("intent");
  if (typeof intent === "string" && (allowed as readonly string[]).includes(intent)) return intent as T;
  throw new Response("Unknown intent", { status: 400 });
}

export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

// ---- shared field rules
const trimmed = (max: number) => z.string().trim().max(max);
export const fields = {
  required: (max = 200) => trimmed(max).min(1),
  optional: (max = 200) => trimmed(max).optional().default(""),
  email: () => trimmed(254).min(1).email(),
  optionalEmail: () =>
    z
      .union([z.literal(""), trimmed(254).email()])
      .optional()
      .default(""),
  password: () => z.string().min(10, "error.passwordShort").max(200),
  phone: () =>
    z
      .union([z.literal(""), trimmed(32).regex(/^\+?[0-9 ()-]{6,31}$/, "error.phone")])
      .optional()
      .default(""),
  id: () => z.string().trim().min(1).max(64),
};

/** Polish NIP (10 digits with a weighted checksum); dashes and spaces and a "PL" prefix allowed. */
export function isValidNip(value: string) {
  const digits = value.replace(/^PL/i, "").replace(/[\s-]/g, "");
  if (!/^\d{10}$/.test(digits)) return false;
  const weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  return sum % 11 === Number(digits[9]);
}

/** A tax ID: a valid Polish NIP, or any other VAT number of 4 to 20 letters and digits. */
export const taxIdField = (optional: boolean) =>
  z
    .string()
    .trim()
    .max(32)
    .refine(
      (value) =>
        (optional && value === "") ||
        (/^[A-Z]{2}[A-Z0-9]{2,18}$/i.test(value.replace(/[\s-]/g, "")) && !/^PL/i.test(value)) ||
        isValidNip(value),
      "error.taxId",
    );
