export const board = {
  en: {} as Record<string, string>,
  pl: {} as Record<string, string>,
};
