// Server-side form schemas of the account pages. They live here, not in the route modules,
// because route modules also run in the browser, where *.server imports are empty.
import { z } from "zod";
import { fields, taxIdField } from "~/http/forms.server";

export const onboardingSchema = z
  .object({
    legalName: fields.required(200),
    taxId: taxIdField(false),
    address: fields.required(300),
    bankAccount: fields.optional(64),
    directorName: fields.required(120),
    directorEmail: fields.email(),
    directorPhone: fields.phone(),
    adminName: fields.required(120),
    adminEmail: fields.email(),
    password: fields.password(),
    passwordConfirm: z.string().max(200),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: "password.mismatch" });

export const loginSchema = z.object({
  email: fields.email(),
  password: z.string().min(1).max(200),
  redirectTo: z.string().max(500).optional(),
});

export const newPasswordSchema = z
  .object({ password: fields.password(), passwordConfirm: z.string().max(200) })
  .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: "password.mismatch" });

export const changePasswordSchema = z
  .object({ current: z.string().min(1).max(200), password: fields.password(), passwordConfirm: z.string().max(200) })
  .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: "password.mismatch" });

export const languageSchema = z.object({ language: z.enum(["en", "pl"]) });

export const companySchema = z.object({
  legalName: fields.required(200),
  taxId: taxIdField(false),
  address: fields.required(300),
  bankAccount: fields.optional(64),
  directorName: fields.required(120),
  directorEmail: fields.email(),
  directorPhone: fields.phone(),
});

export const inviteSchema = z.object({
  name: fields.required(120),
  email: fields.email(),
  role: z.enum(["admin", "supervisor", "employee"]),
  teamId: z.string().max(64).optional().default(""),
  language: z.enum(["en", "pl"]),
});

export const teamSchema = z.object({ teamName: fields.required(80) });

export const userSchema = z.object({
  role: z.enum(["admin", "supervisor", "employee"]),
  teamId: z.string().max(64).optional().default(""),
  active: z.literal("on").optional(),
});
