export const signing = {
  en: {} as Record<string, string>,
  pl: {} as Record<string, string>,
};
