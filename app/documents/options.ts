// Document choices shared by server code and forms (not *.server: the browser needs them too).
export const TEMPLATES = ["invoice", "contract", "protocol"] as const;
export type TemplateName = (typeof TEMPLATES)[number];

export const CLIENT_DATA_FIELDS = ["fullName", "position", "companyName", "taxId"] as const;
export type ClientDataField = (typeof CLIENT_DATA_FIELDS)[number];
