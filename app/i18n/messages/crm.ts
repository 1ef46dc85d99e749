export const crm = {
  en: {} as Record<string, string>,
  pl: {} as Record<string, string>,
};
