export const accounts = {
  en: {} as Record<string, string>,
  pl: {} as Record<string, string>,
};
