// Server-side form schemas of the document pages (see app/auth/forms.server.ts for why here).
import { z } from "zod";
import { fields, taxIdField } from "~/http/forms.server";
import { TEMPLATES } from "./options";

export const fromDealSchema = z.object({
  dealId: fields.id(),
  template: z.enum(TEMPLATES),
  language: z.enum(["en", "pl"]),
});

export const uploadSchema = z.object({
  title: fields.required(200),
  clientId: z.string().max(64).optional().default(""),
  language: z.enum(["en", "pl"]),
});

export const partySchema = z.object({
  role: z.enum(["company", "client"]),
  name: fields.required(120),
  email: fields.optionalEmail(),
  phone: fields.phone(),
  position: fields.optional(120),
  companyName: fields.optional(200),
  taxId: taxIdField(true),
});

export const placeSchema = z.object({
  partyRole: z.enum(["company", "client"]),
  kind: z.enum(["signature", "stamp"]),
  displaySize: z.enum(["phone", "desktop"]),
});

const boxNumber = (min: number, max: number) =>
  z.coerce.number({ invalid_type_error: "error.number" }).int("error.number").min(min).max(max);

export const boxSchema = z.object({
  boxId: z.string().min(1).max(64),
  page: boxNumber(1, 10_000),
  x: boxNumber(0, 100_000),
  y: boxNumber(0, 100_000),
  width: boxNumber(1, 100_000),
  height: boxNumber(1, 100_000),
});
