export const common = {
  en: {} as Record<string, string>,
  pl: {} as Record<string, string>,
};
