export const documents = {
  en: {} as Record<string, string>,
  pl: {} as Record<string, string>,
};
