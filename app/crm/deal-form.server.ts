// What the new-deal and edit-deal routes share: picker options and the form's submit handling.
import { json } from "@remix-run/node";
import type { StaffUser } from "~/auth/session.server";
import { dealStages } from "~db/schema";
import { formValues, readIntent } from "~/http/forms.server";
import { clientOptions, contactOptions } from "./clients.server";
import { CURRENCIES, MAX_ITEMS, ownerOptions, readDealForm, VAT_RATES, type DealInput } from "./deals.server";

import { BLANK_ROWS } from "./deal-form";

export function dealFormOptions(user: StaffUser) {
  return {
    clients: clientOptions(user),
    contacts: contactOptions(user),
    owners: ownerOptions(user),
    stages: dealStages,
    currencies: CURRENCIES,
    vatRates: VAT_RATES.map((r) => ({ value: r.value })),
  };
}

/** Either the validated deal, or a response that shows the form again (errors or more rows). */
export function handleDealForm(
  user: StaffUser,
  formData: FormData,
): { ok: true; data: DealInput } | { ok: false; response: Response } {
  const intent = readIntent(formData, ["save", "addRows"] as const);
  const rowCount = Math.min(Math.max(Number(formData.get("rowCount")) || BLANK_ROWS, 1), MAX_ITEMS);
  if (intent === "addRows") {
    return {
      ok: false,
      response: json({ values: formValues(formData), errors: {}, rowCount: Math.min(rowCount + 5, MAX_ITEMS) }),
    };
  }
  const result = readDealForm(user, formData);
  if (!result.ok)
    return { ok: false, response: json({ values: result.values, errors: result.errors, rowCount }, { status: 400 }) };
  return result;
}
